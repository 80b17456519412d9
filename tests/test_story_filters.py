"""Readers narrow the story list by tag, rating, status and warnings, and sort it."""

from django.test import TestCase

from tests.factories import make_chapter, make_story
from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.models import Rating, Story


def titles(response):
    return [story.title for story in response.context["stories"]]


class StoryFilterTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.harbour = cls._story("Harbour Lights", Rating.GENERAL, tags=["sea", "found family"])
        cls.ember = cls._story(
            "Ember Court", Rating.MATURE, tags=["court intrigue"], warnings=["violence"]
        )
        cls.finished = cls._story(
            "Finished Ferry", Rating.TEEN, tags=["sea"], status=Story.Status.COMPLETE
        )
        Story.objects.filter(pk=cls.finished.pk).update(word_count=5000)

    @classmethod
    def _story(cls, title, rating, tags, **fields):
        story = make_story(title=title, rating=rating, **fields)
        story.tags.add(*tags)
        make_chapter(story)
        return story

    def test_a_tag_on_a_card_links_to_its_stories(self):
        page = self.client.get("/stories/")
        self.assertContains(page, 'href="/stories/?tag=sea"')
        tagged = self.client.get("/stories/?tag=sea")
        self.assertContains(tagged, "Stories tagged “sea”")
        self.assertCountEqual(titles(tagged), ["Harbour Lights", "Finished Ferry"])

    def test_an_unknown_tag_says_so(self):
        response = self.client.get("/stories/?tag=no-such-tag")
        self.assertContains(response, "Stories tagged “no-such-tag”")
        self.assertContains(response, "No stories match.")

    def test_a_tag_in_another_script_links_and_filters(self):
        self._story("Морской ветер", Rating.GENERAL, tags=["море"])
        page = self.client.get("/stories/")
        self.assertContains(page, 'href="/stories/?tag=%D0%BC%D0%BE%D1%80%D0%B5"')
        self.assertEqual(titles(self.client.get("/stories/?tag=море")), ["Морской ветер"])

    def test_rating_and_status_filters_combine(self):
        self.assertEqual(titles(self.client.get("/stories/?rating=mature")), ["Ember Court"])
        response = self.client.get("/stories/?tag=sea&status=complete")
        self.assertEqual(titles(response), ["Finished Ferry"])

    def test_a_warning_can_be_left_out(self):
        response = self.client.get("/stories/?exclude_warning=violence")
        self.assertNotIn("Ember Court", titles(response))
        self.assertEqual(len(titles(response)), 2)

    def test_stories_sort_by_length_and_title(self):
        self.assertEqual(titles(self.client.get("/stories/?sort=words"))[0], "Finished Ferry")
        self.assertEqual(
            titles(self.client.get("/stories/?sort=title")),
            ["Ember Court", "Finished Ferry", "Harbour Lights"],
        )

    def test_nonsense_filters_are_ignored_not_errors(self):
        response = self.client.get(
            "/stories/?rating=zzz&status=<b>&sort=DROP&words_min=-5&words_max=lots&language=xx"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(titles(response)), 3)

    def test_pages_keep_the_filters(self):
        for n in range(25):
            self._story(f"Sea Story {n}", Rating.GENERAL, tags=["sea"])
        response = self.client.get("/stories/?tag=sea&sort=title")
        self.assertContains(response, 'href="?tag=sea&amp;sort=title&amp;page=2"')
        second = self.client.get("/stories/?tag=sea&sort=title&page=2")
        self.assertTrue(
            all("Sea" in t or "Finished" in t or "Harbour" in t for t in titles(second))
        )

    def test_a_filtered_list_does_not_grow_its_queries_with_its_rows(self):
        with self.assertNumQueries(8):
            self.client.get("/stories/?tag=sea&rating=general")
        for n in range(10):
            self._story(f"More Sea {n}", Rating.GENERAL, tags=["sea", f"extra-{n}"])
        with self.assertNumQueries(8):
            self.client.get("/stories/?tag=sea&rating=general")
