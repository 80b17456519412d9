"""The whole story on one page: every published chapter, in order."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.factories import make_chapter, make_character, make_post, make_scene, make_story
from threads.models import Rating, Story


class WholeStoryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.story = make_story(title="Salt and Iron")
        cls.character = make_character(name="Oriel")
        for number, title in enumerate(["Landfall", "Inland", "Draft Ending"], start=1):
            chapter = make_chapter(cls.story, title=title, is_published=number < 3)
            scene = make_scene(chapter, [cls.character], title=f"Scene of {title}")
            make_post(scene, character=cls.character, body=f"Words of {title}.")
        cls.url = f"/stories/{cls.story.slug}/all/"

    def test_every_published_chapter_reads_in_order(self):
        response = self.client.get(self.url)
        content = response.content.decode()
        first, second = content.index('id="chapter-1"'), content.index('id="chapter-2"')
        assert first < content.index("Words of Landfall.") < second
        assert second < content.index("Words of Inland.")
        self.assertContains(response, 'href="#chapter-2">Inland</a>')  # the contents
        self.assertNotContains(response, "Draft Ending")
        self.assertContains(response, '<h3 id="scene-', count=2)

    def test_story_and_chapter_pages_link_to_it(self):
        whole = f'href="{self.url}"'
        self.assertContains(self.client.get(self.story.get_absolute_url()), whole)
        chapter = self.story.chapters.get(number=1)
        self.assertContains(self.client.get(chapter.get_absolute_url()), whole)

    def test_queries_do_not_grow_with_chapters(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.client.get(self.url)
            return len(queries)

        before = count()
        for n in range(4):
            scene = make_scene(make_chapter(self.story, title=f"Extra {n}"), [self.character])
            make_post(scene, character=self.character)
        self.assertEqual(before, count())

    def test_drafts_are_404_and_adult_stories_ask_first(self):
        draft = make_story(visibility=Story.Visibility.MEMBERS)
        self.assertEqual(self.client.get(f"/stories/{draft.slug}/all/").status_code, 404)
        adult = make_story(rating=Rating.EXPLICIT)
        make_chapter(adult)
        self.assertContains(self.client.get(f"/stories/{adult.slug}/all/"), "is rated Explicit")
