"""Deciding on a pending edit in the admin, as a moderator clicks through it: the edit's page
in the queue, the same decision from the post's own page, and what a moderator sees when
someone else decided first. Forms are read off the real pages and sent as a browser would."""

from django.urls import reverse

from tests.cases import ModerationTestCase
from tests.factories import make_moderator, make_pending_post, make_post
from tests.html_forms import form_posting_to
from threads import moderation
from threads.models import ModerationAction, Post, Revision
from threads.writing import posting

APPROVED_TEXT = "The lantern flickered by the ferry gate."
EDITED_TEXT = "The lantern guttered out by the ferry gate."


class EditDecisionTestCase(ModerationTestCase):
    """Mira's approved post in a public story, and her edit of it waiting for a moderator."""

    cast_options = {"story_title": "The Ferry Road", "scene_title": "The Gate"}

    def setUp(self):
        self.post = make_post(self.scene, character=self.character, body=APPROVED_TEXT)
        # The real path: an untrusted writer's edit of an approved post waits.
        self.edit = posting.edit_post(self.post, self.writer, EDITED_TEXT)
        assert self.edit.status == Revision.Status.PENDING
        self.client.force_login(self.moderator)

    @property
    def decide_url(self):
        return reverse("admin:threads_revision_decide", args=[self.edit.pk])

    @property
    def queue_url(self):
        return reverse("admin:threads_pendingedit_changelist")

    @property
    def edit_page_url(self):
        return reverse("admin:threads_pendingedit_change", args=[self.edit.pk])

    @property
    def post_page_url(self):
        return reverse("admin:threads_post_change", args=[self.post.pk])

    def send(self, form, **fields):
        """Submit ``form`` as read off the page, with the reason and the button pressed."""
        data = {**form["hidden"], "reason": "", **fields}
        return self.client.post(form["action"], data)

    def chapter_page(self):
        """The chapter as an anonymous reader sees it."""
        self.client.logout()
        page = self.client.get(reverse("chapter_detail", args=[self.story.slug, 1]))
        self.client.force_login(self.moderator)
        return page

    def edit_status(self):
        return Revision.objects.get(pk=self.edit.pk).status


class EditPageTests(EditDecisionTestCase):
    def test_the_edit_page_opens_for_a_moderator_with_the_diff_and_the_decision_buttons(self):
        page = self.client.get(self.edit_page_url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Changes against the approved text readers see now")
        self.assertContains(page, "<del>flickered</del>", html=True)
        self.assertContains(page, "<ins>guttered out</ins>", html=True)
        form = form_posting_to(page, self.decide_url)
        self.assertIn("reason", form["textareas"])
        self.assertContains(page, 'name="decision" value="approve"')
        self.assertContains(page, 'name="decision" value="reject"')

    def test_the_edits_queue_links_to_the_edit_page(self):
        queue = self.client.get(self.queue_url)
        self.assertContains(queue, f'href="{self.edit_page_url}')

    def test_approving_from_the_edit_page_publishes_the_new_text_to_readers(self):
        self.assertContains(self.chapter_page(), "flickered")
        form = form_posting_to(self.client.get(self.edit_page_url), self.decide_url)
        response = self.send(form, decision="approve")
        self.assertRedirects(response, self.queue_url, fetch_redirect_response=False)
        queue = self.client.get(response.url)
        self.assertContains(queue, "The edit of post #1 in “The Gate” is approved.")
        self.assertNotContains(queue, f'href="{self.edit_page_url}')

        chapter = self.chapter_page()
        self.assertContains(chapter, "guttered out by the ferry gate")
        self.assertNotContains(chapter, "flickered")
        self.assertEqual(self.edit_status(), Revision.Status.APPROVED)

    def test_approving_an_edit_writes_one_audit_row(self):
        form = form_posting_to(self.client.get(self.edit_page_url), self.decide_url)
        self.send(form, decision="approve")
        actions = ModerationAction.objects.all()
        self.assertEqual(len(actions), 1)
        action = actions[0]
        self.assertEqual(
            (action.action, action.moderator, action.post, action.revision, action.subject),
            ("approve_edit", self.moderator, self.post, self.edit, self.writer),
        )

    def test_rejecting_without_a_reason_is_refused_and_stays_on_the_edit_page(self):
        form = form_posting_to(self.client.get(self.edit_page_url), self.decide_url)
        response = self.send(form, decision="reject")
        self.assertRedirects(response, self.edit_page_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Give a reason: the writer will see it.")
        self.assertEqual(self.edit_status(), Revision.Status.PENDING)
        self.assertFalse(ModerationAction.objects.exists())

    def test_rejecting_with_a_reason_keeps_the_approved_text_for_readers(self):
        form = form_posting_to(self.client.get(self.edit_page_url), self.decide_url)
        response = self.send(form, decision="reject", reason="The lantern matters later on.")
        self.assertRedirects(response, self.queue_url, fetch_redirect_response=False)
        self.assertEqual(self.edit_status(), Revision.Status.REJECTED)
        action = ModerationAction.objects.get()
        self.assertEqual(
            (action.action, action.reason), ("reject_edit", "The lantern matters later on.")
        )
        chapter = self.chapter_page()
        self.assertContains(chapter, "flickered by the ferry gate")
        self.assertNotContains(chapter, "guttered")


class DecidingFromThePostPageTests(EditDecisionTestCase):
    def test_the_posts_page_shows_the_waiting_edit_with_its_own_decision_form(self):
        page = self.client.get(self.post_page_url)
        self.assertContains(page, "An edit awaits approval")
        self.assertContains(page, "<ins>guttered out</ins>", html=True)
        form_posting_to(page, self.decide_url)

    def test_approving_from_the_posts_page_returns_to_that_page(self):
        form = form_posting_to(self.client.get(self.post_page_url), self.decide_url)
        response = self.send(form, decision="approve")
        self.assertRedirects(response, self.post_page_url, fetch_redirect_response=False)
        page = self.client.get(response.url)
        self.assertContains(page, "The edit of post #1 in “The Gate” is approved.")
        self.assertNotContains(page, "An edit awaits approval")
        self.assertEqual(Post.objects.get(pk=self.post.pk).body, EDITED_TEXT)

    def test_rejecting_from_the_posts_page_returns_to_that_page(self):
        form = form_posting_to(self.client.get(self.post_page_url), self.decide_url)
        response = self.send(form, decision="reject", reason="Keep the flicker.")
        self.assertRedirects(response, self.post_page_url, fetch_redirect_response=False)
        self.assertEqual(self.edit_status(), Revision.Status.REJECTED)

    def test_a_refused_rejection_also_returns_to_the_posts_page_with_the_reason_asked_for(self):
        form = form_posting_to(self.client.get(self.post_page_url), self.decide_url)
        response = self.send(form, decision="reject")
        self.assertRedirects(response, self.post_page_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Give a reason: the writer will see it.")
        self.assertEqual(self.edit_status(), Revision.Status.PENDING)


class DecidedElsewhereTests(EditDecisionTestCase):
    """Moss opens a row from a queue page he loaded before Fern decided on it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fern = make_moderator("fern")

    def test_an_edit_someone_else_approved_opens_on_its_current_page_with_a_note(self):
        moderation.approve_edit(self.edit, self.fern)
        response = self.client.get(self.edit_page_url, follow=True)
        revision_page = reverse("admin:threads_revision_change", args=[self.edit.pk])
        self.assertEqual(response.redirect_chain, [(revision_page, 302)])
        self.assertContains(response, "This edit is no longer waiting for approval")
        self.assertContains(
            response, "<strong>Edit that became the post's text</strong>", html=True
        )
        self.assertNotContains(response, "Perhaps it was deleted")
        self.assertNotContains(response, 'name="decision"')  # nothing left to decide

    def test_an_edit_the_writer_replaced_opens_on_its_current_page_with_a_note(self):
        newer = posting.edit_post(self.post, self.writer, "The lantern went dark at the gate.")
        self.assertEqual(newer.status, Revision.Status.PENDING)
        response = self.client.get(self.edit_page_url, follow=True)
        revision_page = reverse("admin:threads_revision_change", args=[self.edit.pk])
        self.assertEqual(response.redirect_chain, [(revision_page, 302)])
        self.assertContains(response, "or the writer has edited the post again since")

    def test_a_post_someone_else_approved_opens_on_its_current_page_with_a_note(self):
        pending = make_pending_post(self.scene, self.character, body="Waiting.")
        moderation.approve(pending, self.fern)
        queue_page = reverse("admin:threads_pendingpost_change", args=[pending.pk])
        response = self.client.get(queue_page, follow=True)
        post_page = reverse("admin:threads_post_change", args=[pending.pk])
        self.assertEqual(response.redirect_chain, [(post_page, 302)])
        self.assertContains(response, "This post is no longer waiting for approval.")
        self.assertContains(response, "rp-status-approved")
        self.assertNotContains(response, "Perhaps it was deleted")

    def test_deciding_from_a_stale_edit_page_says_who_decided_first(self):
        form = form_posting_to(self.client.get(self.edit_page_url), self.decide_url)
        moderation.approve_edit(self.edit, self.fern)
        response = self.client.post(form["action"], {**form["hidden"], "decision": "approve"})
        page = self.client.get(response.url, follow=True)
        self.assertContains(page, "it was already approved, by fern")
        self.assertEqual(ModerationAction.objects.filter(moderator=self.moderator).count(), 0)
