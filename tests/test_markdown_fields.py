"""The writer's Markdown fields (profile bio, character description, story and chapter
summaries): no maxlength attribute, so a browser never silently cuts pasted text; too long
a text is refused with a clear message and comes back in the form, whole."""

import re

from django.test import TestCase
from django.urls import reverse

from tests.factories import make_chapter, make_character, make_story, make_user
from threads.models import Chapter, Character, Story, User

SENTENCE = "The tide came in over the salt flats and nobody looked up. "


def text_longer_than(limit):
    """Prose a little over ``limit`` characters, ending in a line we can look for."""
    body = SENTENCE * (limit // len(SENTENCE) + 1)
    return body + "This last line must survive."


def textarea_tag(page, name):
    """The opening <textarea> tag of the field ``name``; fails the test if there is none."""
    match = re.search(rf'<textarea\b[^>]*\bname="{name}"[^>]*>', page.content.decode())
    assert match, f"no textarea named {name} on the page"
    return match.group(0)


class MarkdownFieldTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira", display_name="Mira")
        cls.story = make_story(owner=cls.mira, title="Salt Flats", summary="A short summary.")
        cls.chapter = make_chapter(cls.story, title="Low Tide", summary="Short.")
        cls.character = make_character(owner=cls.mira, name="Aleksei", description="Short.")

    def setUp(self):
        self.client.force_login(self.mira)

    def forms(self):
        """Each Markdown field: (its page, the rest of the form's data, field, limit,
        how to read the saved value)."""
        return [
            (
                reverse("profile_edit"),
                {"display_name": "Mira", "pronouns": "", "email": "mira@example.test"},
                "bio",
                5_000,
                lambda: User.objects.get(pk=self.mira.pk).bio,
            ),
            (
                reverse("character_edit", args=[self.character.slug]),
                {"name": "Aleksei", "pronouns": "", "tagline": ""},
                "description",
                20_000,
                lambda: Character.objects.get(pk=self.character.pk).description,
            ),
            (
                reverse("story_edit", args=[self.story.slug]),
                {
                    "title": "Salt Flats",
                    "tags": "",
                    "rating": "general",
                    "warnings": ["none"],
                    "language": "en",
                    "visibility": "public",
                    "status": "in_progress",
                },
                "summary",
                5_000,
                lambda: Story.objects.get(pk=self.story.pk).summary,
            ),
            (
                reverse("chapter_edit", args=[self.story.slug, 1]),
                {"number": 1, "title": "Low Tide"},
                "summary",
                5_000,
                lambda: Chapter.objects.get(pk=self.chapter.pk).summary,
            ),
        ]

    def test_no_markdown_textarea_has_a_maxlength(self):
        for url, _data, field, _limit, _saved in self.forms():
            with self.subTest(page=url):
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("maxlength", textarea_tag(page, field))

    def test_text_over_the_limit_is_refused_clearly_and_comes_back_whole(self):
        for url, data, field, limit, saved in self.forms():
            with self.subTest(page=url):
                before = saved()
                text = text_longer_than(limit)
                response = self.client.post(url, {**data, field: text})
                self.assertEqual(response.status_code, 400)  # the form again, not a redirect
                self.assertContains(
                    response,
                    f"Ensure this value has at most {limit} characters (it has ",
                    status_code=400,
                )
                self.assertContains(response, f"{text}</textarea>", status_code=400)
                self.assertNotIn("maxlength", textarea_tag(response, field))
                self.assertEqual(saved(), before)

    def test_text_at_the_limit_is_saved(self):
        for url, data, field, limit, saved in self.forms():
            with self.subTest(page=url):
                text = text_longer_than(limit)[-limit:].lstrip()
                response = self.client.post(url, {**data, field: text})
                self.assertEqual(response.status_code, 302)
                self.assertEqual(saved(), text)
