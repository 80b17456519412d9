"""Every reading page, as an anonymous reader sees it."""

from django.test import TestCase

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Post, Rating, Story


class ReadingPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira", display_name="Mira")
        cls.teo = make_user("teo", display_name="Teo")
        cls.aleksei = make_character(cls.mira, name="Aleksei", tagline="A tired ferryman")
        cls.lucia = make_character(cls.teo, name="Lucia")
        cls.story = make_story(
            owner=cls.mira,
            members=[cls.teo],
            title="The Lantern Road",
            summary="Two strangers *share* a ferry.",
            warnings=["violence"],
            rating=Rating.TEEN,
        )
        cls.story.tags.add("ferries", "winter")
        cls.one = make_chapter(cls.story, title="Crossing", summary="The river freezes.")
        cls.two = make_chapter(cls.story, title="Far Bank")
        cls.draft = make_chapter(cls.story, title="Secret Draft", is_published=False)
        cls.scene = make_scene(cls.one, [cls.aleksei, cls.lucia], setting="The ferry, dusk")
        make_post(cls.scene, cls.mira, body="The ice *sang* under the hull.")
        make_post(cls.scene, character=cls.aleksei, body='"Hold on," he said.')
        make_post(cls.scene, character=cls.lucia, body="She held on.")
        make_post(cls.scene, character=cls.lucia, body="Pending words", status=Post.Status.PENDING)
        make_post(cls.scene, cls.teo, body="brb dinner", kind=Post.Kind.OUT_OF_CHARACTER)
        make_post(cls.scene, character=cls.aleksei, body="Hidden", status=Post.Status.REJECTED)
        make_scene(cls.two, title="Second Scene")
        cls.draft_story = make_story(
            owner=cls.mira, title="Unfinished Thing", visibility=Story.Visibility.MEMBERS
        )
        cls.members_story = make_story(
            owner=cls.mira, title="Registered Only", visibility=Story.Visibility.REGISTERED
        )

    def test_home_lists_recent_stories_with_their_facts(self):
        response = self.client.get("/")
        self.assertContains(response, "The Lantern Road")
        self.assertContains(response, "Mira")
        self.assertContains(response, "Teen and up")
        self.assertContains(response, "ferries")
        self.assertContains(response, "<dd>2</dd>", html=True)  # published chapters
        self.assertNotContains(response, "Unfinished Thing")
        self.assertNotContains(response, "Registered Only")

    def test_story_list_is_paginated(self):
        for n in range(25):
            make_chapter(make_story(title=f"Filler {n}"))
        first = self.client.get("/stories/")
        second = self.client.get("/stories/?page=2")
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(second, "Page 2 of 2")
        self.assertEqual(self.client.get("/stories/?page=banana").status_code, 200)

    def test_story_page_shows_summary_tags_warnings_cast_and_contents(self):
        response = self.client.get(self.story.get_absolute_url())
        self.assertContains(response, "Two strangers <em>share</em> a ferry.")
        self.assertContains(response, "Graphic violence")
        self.assertContains(response, "winter")
        self.assertContains(response, "In progress")
        self.assertContains(response, "Aleksei")
        self.assertContains(response, "A tired ferryman")
        self.assertContains(response, "Crossing")
        self.assertContains(response, "Far Bank")
        self.assertNotContains(response, "Secret Draft")
        words = self.one.__class__.objects.get(pk=self.one.pk).word_count
        self.assertContains(response, f"{words} words")

    def test_chapter_reader_shows_approved_story_posts_with_credits(self):
        response = self.client.get(self.one.get_absolute_url())
        self.assertContains(response, "Chapter 1")
        self.assertContains(response, "Crossing")
        self.assertContains(response, "Chapter 1 of 2")
        self.assertContains(response, "The ferry, dusk")
        self.assertContains(response, "The ice <em>sang</em> under the hull.")
        self.assertContains(response, "written by")
        self.assertContains(response, "Aleksei")
        self.assertContains(response, "minute to read")
        self.assertNotContains(response, "Pending words")
        self.assertNotContains(response, "brb dinner")
        self.assertNotContains(response, "Hidden")
        self.assertContains(response, 'rel="next"')
        self.assertNotContains(response, 'rel="prev"')

    def test_posts_read_in_number_order(self):
        content = self.client.get(self.one.get_absolute_url()).content.decode()
        assert content.index("The ice") < content.index("Hold on") < content.index("She held on")

    def test_chapter_shows_rating_warnings_and_a_chapter_index(self):
        response = self.client.get(self.two.get_absolute_url())
        self.assertContains(response, "Teen and up")
        self.assertContains(response, "Graphic violence")
        self.assertContains(response, '<option value="1">1. Crossing</option>', html=True)
        jump = self.client.get(f"/stories/{self.story.slug}/chapters/?number=1")
        self.assertRedirects(jump, self.one.get_absolute_url())
        bad = self.client.get(f"/stories/{self.story.slug}/chapters/?number=１")
        self.assertRedirects(bad, self.story.get_absolute_url())

    def test_each_post_has_a_link_to_itself(self):
        post = self.scene.posts.get(number=2)
        anchor = f"#post-{self.scene.pk}-{post.number}"
        response = self.client.get(self.one.get_absolute_url())
        self.assertContains(response, f'id="{anchor[1:]}"')
        self.assertContains(response, f'href="{anchor}"')

    def test_last_chapter_links_back_but_not_forward(self):
        response = self.client.get(self.two.get_absolute_url())
        self.assertContains(response, 'rel="prev"')
        self.assertNotContains(response, 'rel="next"')
        self.assertContains(response, "Chapter 2 of 2")

    def test_unknown_slugs_and_numbers_are_404(self):
        for url in [
            "/stories/no-such-story/",
            "/stories/no-such-story/chapters/1/",
            f"/stories/{self.story.slug}/chapters/99/",
            f"/stories/{self.story.slug}/chapters/{self.draft.number}/",
            "/characters/nobody/",
            "/writers/nobody/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_drafts_are_404_to_strangers(self):
        self.assertEqual(self.client.get(self.draft_story.get_absolute_url()).status_code, 404)

    def test_registered_stories_ask_anonymous_readers_to_log_in(self):
        url = self.members_story.get_absolute_url()
        self.assertRedirects(
            self.client.get(url), f"/accounts/login/?next={url}", fetch_redirect_response=False
        )

    def test_stories_with_nothing_published_stay_off_the_lists(self):
        empty = make_story(title="Nothing Yet")
        make_chapter(empty, title="Hidden", is_published=False)
        for url in ("/", "/stories/"):
            self.assertNotContains(self.client.get(url), "Nothing Yet")
        self.assertEqual(self.client.get(empty.get_absolute_url()).status_code, 200)

    def test_the_cast_leaves_out_characters_only_in_unpublished_chapters(self):
        secret = make_character(self.mira, name="Secret Sister")
        make_scene(self.draft, [secret])
        self.assertNotContains(self.client.get(self.story.get_absolute_url()), "Secret Sister")

    def test_registered_stories_open_to_signed_in_readers(self):
        self.client.force_login(make_user())
        self.assertEqual(self.client.get(self.members_story.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.draft_story.get_absolute_url()).status_code, 404)

    def test_members_get_links_to_write_and_manage(self):
        self.assertNotContains(self.client.get(self.one.get_absolute_url()), "Open the scene")
        self.client.force_login(self.teo)
        chapter = self.client.get(self.one.get_absolute_url())
        self.assertContains(chapter, f'href="{self.scene.get_absolute_url()}"')
        story = self.client.get(self.story.get_absolute_url())
        self.assertContains(story, "Chapters, scenes and members")

    def test_members_can_open_their_draft(self):
        self.client.force_login(self.mira)
        self.assertEqual(self.client.get(self.draft_story.get_absolute_url()).status_code, 200)

    def test_character_page_shows_card_owner_and_stories(self):
        response = self.client.get(self.aleksei.get_absolute_url())
        self.assertContains(response, "A tired ferryman")
        self.assertContains(response, "Mira")
        self.assertContains(response, "The Lantern Road")
        self.assertContains(response, "<dd>2</dd>", html=True)  # chapters, counted once each

    def test_writer_page_shows_their_stories_and_characters(self):
        response = self.client.get(self.teo.get_absolute_url())
        self.assertContains(response, "The Lantern Road")
        self.assertContains(response, "Lucia")
        self.assertNotContains(response, "Unfinished Thing")

    def test_pages_have_a_skip_link_and_stylesheets(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="#main"')
        self.assertContains(response, 'media="print"')


class AdultInterstitialTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.story = make_story(title="Night Market", rating=Rating.EXPLICIT)
        cls.chapter = make_chapter(cls.story)
        make_post(make_scene(cls.chapter), body="Lanterns over the stalls.")

    def test_anonymous_readers_get_a_notice_first(self):
        for url in (self.story.get_absolute_url(), self.chapter.get_absolute_url()):
            response = self.client.get(url)
            self.assertContains(response, "This story is rated Explicit")
            self.assertNotContains(response, "Lanterns over the stalls.")

    def test_one_click_lets_them_through_for_the_session(self):
        url = self.chapter.get_absolute_url()
        response = self.client.post(f"/stories/{self.story.slug}/adult-ok/", {"next": url})
        self.assertRedirects(response, url)
        self.assertContains(self.client.get(url), "Lanterns over the stalls.")
        self.assertNotContains(self.client.get(self.story.get_absolute_url()), "is rated")

    def test_consent_never_redirects_off_site(self):
        response = self.client.post(
            f"/stories/{self.story.slug}/adult-ok/", {"next": "https://evil.example/"}
        )
        self.assertRedirects(response, self.story.get_absolute_url())

    def test_signed_in_readers_are_not_asked(self):
        self.client.force_login(make_user())
        self.assertContains(self.client.get(self.chapter.get_absolute_url()), "Lanterns")

    def test_consent_needs_a_post(self):
        url = f"/stories/{self.story.slug}/adult-ok/"
        self.assertEqual(self.client.get(url).status_code, 405)
