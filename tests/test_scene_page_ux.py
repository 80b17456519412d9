"""Small things a writer notices on the scene and edit pages: no offer to skip your own
turn, post numbers set apart from their times, one suspension notice, and drafts kept in
the browser per account."""

from django.urls import reverse

from tests.cases import CastTestCase
from tests.factories import make_post, make_user
from threads.models import Story


class ScenePageTestCase(CastTestCase):
    """Mira owns the story and writes Aleksei; Teo writes Lucia. Aleksei is up."""

    def page(self, user, url=None):
        self.client.force_login(user)
        return self.client.get(url or self.scene.get_absolute_url())


class SkipButtonTests(ScenePageTestCase):
    def test_the_owner_who_is_up_is_not_offered_to_skip_their_own_turn(self):
        page = self.page(self.mira)
        self.assertContains(page, "<strong>Your turn</strong>, as Aleksei.")
        self.assertNotContains(page, "Skip Aleksei&#x27;s turn")
        self.assertNotContains(page, "Skip Aleksei's turn")

    def test_the_owner_may_skip_a_co_writer_who_is_up(self):
        make_post(self.scene, character=self.aleksei)
        self.assertContains(self.page(self.mira), "Skip Lucia's turn")


class PostMetaTests(ScenePageTestCase):
    def test_the_post_number_is_set_apart_from_its_time(self):
        post = make_post(self.scene, character=self.aleksei)
        page = self.page(self.teo)
        anchor = f'href="?post=1#post-{self.scene.pk}-1">#1</a> ·'
        self.assertContains(page, anchor)
        self.assertContains(page, f'<time datetime="{post.created_at:%Y-%m-%d}')


class SuspensionNoticeTests(ScenePageTestCase):
    REASON = "Copied scenes from another archive."

    def setUp(self):
        self.mira.suspend(self.REASON)

    def test_a_suspended_writer_sees_the_suspension_once_on_the_scene_page(self):
        page = self.page(self.mira)
        self.assertContains(page, "Your account is suspended", count=1)
        self.assertContains(page, self.REASON, count=1)

    def test_the_refused_form_still_says_why(self):
        self.client.force_login(self.mira)
        url = reverse(
            "post_submit", args=[self.story.slug, self.scene.chapter.number, self.scene.position]
        )
        data = {"post_as": "ooc", "body": "Still here, writing."}
        response = self.client.post(url, data)
        self.assertContains(response, "you cannot post or edit", status_code=403)
        self.assertContains(response, "Still here, writing.</textarea>", status_code=403)

    def test_the_edit_page_shows_the_suspension_once(self):
        post = make_post(self.scene, character=self.aleksei)
        page = self.page(self.mira, reverse("post_edit", args=[post.pk]))
        self.assertContains(page, "Your account is suspended", count=1)


class DraftKeyTests(ScenePageTestCase):
    def test_the_scene_form_keeps_its_draft_under_the_writers_own_key(self):
        url = self.scene.get_absolute_url()
        self.assertContains(self.page(self.teo), f'data-draft-key="draft:{self.teo.pk}:{url}"')
        self.assertContains(self.page(self.mira), f'data-draft-key="draft:{self.mira.pk}:{url}"')

    def test_the_edit_form_keeps_its_draft_under_the_writers_own_key(self):
        post = make_post(self.scene, character=self.aleksei)
        url = reverse("post_edit", args=[post.pk])
        self.assertContains(
            self.page(self.mira, url), f'data-draft-key="draft:{self.mira.pk}:{url}"'
        )

    def test_logging_out_forgets_the_writers_drafts(self):
        page = self.page(self.teo)
        self.assertContains(page, f'data-clear-drafts="{self.teo.pk}"')
        self.assertContains(page, "js/drafts.js")


class RegisteredOnlySceneTests(ScenePageTestCase):
    def test_an_anonymous_reader_of_a_registered_only_story_is_asked_to_log_in(self):
        self.story.visibility = Story.Visibility.REGISTERED
        self.story.save(update_fields=["visibility"])
        url = self.scene.get_absolute_url()
        response = self.client.get(url)
        self.assertRedirects(
            response, f"/accounts/login/?next={url}", fetch_redirect_response=False
        )
        self.assertEqual(self.page(make_user()).status_code, 200)

    def test_a_draft_scene_is_still_a_404_to_anonymous_readers(self):
        self.story.visibility = Story.Visibility.MEMBERS
        self.story.save(update_fields=["visibility"])
        self.assertEqual(self.client.get(self.scene.get_absolute_url()).status_code, 404)
