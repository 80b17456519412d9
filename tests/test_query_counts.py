"""Reading pages run a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


class ChapterQueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small = cls._chapter_with_posts(5)
        cls.large = cls._chapter_with_posts(200)

    @classmethod
    def _chapter_with_posts(cls, count):
        writers = [make_user(), make_user()]
        characters = [make_character(writer) for writer in writers]
        story = make_story(owner=writers[0], members=[writers[1]])
        chapter = make_chapter(story)
        scenes = [make_scene(chapter, characters), make_scene(chapter, characters)]
        for n in range(count):
            make_post(scenes[n % 2], character=characters[n % 2], body=f"Turn {n}.")
        return chapter

    def test_chapter_page_runs_the_same_queries_for_5_and_200_posts(self):
        small = count_queries(self.client, self.small.get_absolute_url())
        large = count_queries(self.client, self.large.get_absolute_url())
        self.assertEqual(small, large)
        self.assertContains(self.client.get(self.large.get_absolute_url()), "Turn 199.")

    def test_a_member_signed_in_sees_the_same_fixed_count(self):
        # Members see post actions (edit, history, report): still no query per post.
        counts = []
        for chapter in (self.small, self.large):
            self.client.force_login(chapter.story.memberships.get(role="owner").user)
            counts.append(count_queries(self.client, chapter.get_absolute_url()))
        self.assertEqual(counts[0], counts[1])

    def test_the_whole_story_page_runs_the_same_queries_for_5_and_200_posts(self):
        small = count_queries(self.client, f"/stories/{self.small.story.slug}/all/")
        large = count_queries(self.client, f"/stories/{self.large.story.slug}/all/")
        self.assertEqual(small, large)


class ListQueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("prolific")
        cls.character = make_character(cls.writer, name="Everywhere")
        for n in range(3):
            cls._story(n)

    @classmethod
    def _story(cls, n):
        story = make_story(owner=cls.writer, members=[make_user()], title=f"Story {n}")
        story.tags.add(f"tag-{n}", "shared")
        scene = make_scene(make_chapter(story), [cls.character])
        make_post(scene, character=cls.character)

    def assert_constant_queries(self, url):
        before = count_queries(self.client, url)
        for n in range(3, 12):
            self._story(n)
        after = count_queries(self.client, url)
        self.assertEqual(before, after, url)

    def test_home_does_not_grow_with_its_rows(self):
        self.assert_constant_queries("/")

    def test_story_list_does_not_grow_with_its_rows(self):
        self.assert_constant_queries("/stories/")

    def test_writer_page_does_not_grow_with_its_rows(self):
        self.assert_constant_queries(self.writer.get_absolute_url())

    def test_character_page_does_not_grow_with_its_rows(self):
        self.assert_constant_queries(self.character.get_absolute_url())

    def test_story_page_does_not_grow_with_its_cast(self):
        story = make_story(owner=self.writer)
        chapter = make_chapter(story)
        url = story.get_absolute_url()
        before = count_queries(self.client, url)
        for _ in range(5):
            make_scene(chapter, [make_character(make_user())])
            make_chapter(story)
        self.assertEqual(before, count_queries(self.client, url))
