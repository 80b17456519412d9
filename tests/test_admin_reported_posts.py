"""Resolving reports from "reports by post": the moderator is sent back to the list, and a
post whose reports someone else already resolved says so instead of "doesn't exist"."""

from django.urls import reverse

from tests.cases import ModerationTestCase
from tests.factories import make_moderator, make_post, make_user
from tests.html_forms import form_posting_to
from threads import moderation
from threads.models import ModerationAction, Post, Report

LEFT_LIST_NOTE = "This post has no open reports any more."


class ReportedPostTests(ModerationTestCase):
    """Moss resolves the reports on Mira's post; Fern is the other moderator."""

    cast_options = {"story_title": "Tidewater", "scene_title": "The Jetty"}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fern = make_moderator("fern")

    def setUp(self):
        self.post = make_post(self.scene, character=self.character, body="Buy cheap boats now.")
        for name in ("ana", "ben"):
            Report.objects.create(post=self.post, reporter=make_user(name), reason="spam")
        self.client.force_login(self.moderator)

    @property
    def list_url(self):
        return reverse("admin:threads_reportedpost_changelist")

    @property
    def page_url(self):
        return reverse("admin:threads_reportedpost_change", args=[self.post.pk])

    @property
    def resolve_url(self):
        return reverse("admin:threads_reportedpost_resolve", args=[self.post.pk])

    @property
    def post_page_url(self):
        return reverse("admin:threads_post_change", args=[self.post.pk])

    def resolve_form(self):
        return form_posting_to(self.client.get(self.page_url), self.resolve_url)

    def resolve(self, form, outcome, reason=""):
        data = {**form["hidden"], "outcome": outcome, "reason": reason}
        return self.client.post(form["action"], data)

    def open_reports(self):
        return Report.objects.filter(post=self.post, resolution="open").count()

    def test_the_list_links_the_reported_post_to_its_page(self):
        self.assertContains(self.client.get(self.list_url), f'href="{self.page_url}')

    def test_dismissing_from_the_posts_page_returns_to_the_list_which_no_longer_has_it(self):
        response = self.resolve(self.resolve_form(), "dismiss")
        self.assertRedirects(response, self.list_url, fetch_redirect_response=False)
        listing = self.client.get(response.url)
        self.assertContains(listing, "Reports dismissed: post #1 in “The Jetty”.")
        self.assertNotContains(listing, f'href="{self.page_url}')
        self.assertEqual(self.open_reports(), 0)
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "approved")

    def test_hiding_from_the_posts_page_returns_to_the_list(self):
        response = self.resolve(self.resolve_form(), "hide", reason="Advertising.")
        self.assertRedirects(response, self.list_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Post hidden: post #1")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "rejected")

    def test_hiding_without_a_reason_stays_on_the_posts_page_with_its_reports_open(self):
        response = self.resolve(self.resolve_form(), "hide")
        self.assertRedirects(response, self.page_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Give a reason: the writer will see it.")
        self.assertEqual(self.open_reports(), 2)

    def test_a_post_resolved_by_someone_else_opens_on_its_page_with_a_note(self):
        moderation.resolve_reports(self.post, self.fern, "dismiss")
        response = self.client.get(self.page_url, follow=True)
        self.assertEqual(response.redirect_chain, [(self.post_page_url, 302)])
        self.assertContains(response, LEFT_LIST_NOTE)
        self.assertNotContains(response, "Perhaps it was deleted")

    def test_resolving_from_a_stale_page_says_so_and_lands_on_the_posts_page(self):
        form = self.resolve_form()
        moderation.resolve_reports(self.post, self.fern, "dismiss")
        response = self.client.post(
            form["action"], {**form["hidden"], "outcome": "hide", "reason": "Spam."}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1], (self.post_page_url, 302))
        self.assertContains(response, "were already resolved")
        self.assertContains(response, LEFT_LIST_NOTE)
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "approved")
        self.assertFalse(ModerationAction.objects.filter(moderator=self.moderator).exists())
