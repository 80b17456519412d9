"""A post's review page in the admin, as a moderator reads it: the text once, each revision
said for what it is, "History" leading to the moderators' decisions, edits whose changed words
stay readable, messages that keep a title's capitals, odd ids that are "not found" rather
than a crash, and dismissed reports that stay out of the writer's record."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from tests.cases import ModerationTestCase
from tests.factories import make_pending_post, make_post, make_user
from threads import moderation
from threads.admin.common import word_diff
from threads.models import ModerationAction, Report, Revision
from threads.writing import posting

BODY = "The ferryman counted seven lanterns along the quay."


class ReviewPageTestCase(ModerationTestCase):
    cast_options = {"story_title": "Salt and Tallow", "scene_title": "The Harbourmaster Book"}

    def setUp(self):
        self.client.force_login(self.moderator)

    def pending_post(self, body=BODY):
        return make_pending_post(self.scene, self.character, body=body)

    def page(self, post, model_name="post"):
        return self.client.get(reverse(f"admin:threads_{model_name}_change", args=[post.pk]))


class ReviewPageTests(ReviewPageTestCase):
    def test_the_post_text_appears_once_on_its_review_page(self):
        post = self.pending_post()
        for model_name in ["post", "pendingpost"]:
            with self.subTest(admin=model_name):
                html = self.page(post, model_name).content.decode()
                self.assertEqual(html.count("seven lanterns"), 1)

    def test_a_pending_posts_first_revision_reads_as_first_posted_not_approved(self):
        post = self.pending_post()
        page = self.page(post, "pendingpost")
        self.assertContains(
            page, '<td class="field-version"><p>As first posted</p></td>', html=True
        )
        self.assertNotContains(page, "<p>Approved</p>", html=True)

    def test_each_revision_says_what_it_is_and_links_to_its_changes(self):
        post = make_post(self.scene, character=self.character, body=BODY)
        edit = posting.edit_post(post, self.writer, "The ferryman counted nine lanterns.")
        page = self.page(post)
        self.assertContains(page, "<p>As first posted</p>", html=True)
        self.assertContains(page, "<p>Edit awaiting approval</p>", html=True)
        self.assertContains(page, reverse("admin:threads_revision_change", args=[edit.pk]))

    def test_history_opens_the_moderators_decisions_on_this_post(self):
        post, other = self.pending_post(), self.pending_post("Another post entirely.")
        moderation.reject(post, self.moderator, "Add a content note for the storm.")
        moderation.reject(other, self.moderator, "This reason is about another post.")
        page = self.page(post)
        audit = reverse("admin:threads_moderationaction_changelist")
        history = f"{audit}?post__id__exact={post.pk}"
        self.assertContains(
            page, f'<a href="{history}" class="historylink">Moderation history</a>', html=True
        )
        response = self.client.get(reverse("admin:threads_post_history", args=[post.pk]))
        self.assertRedirects(response, history)
        trail = self.client.get(history)
        self.assertContains(trail, "Add a content note for the storm.")
        self.assertNotContains(trail, "This reason is about another post.")

    def test_history_of_an_edit_opens_the_decisions_on_that_edit(self):
        post = make_post(self.scene, character=self.character, body=BODY)
        edit = posting.edit_post(post, self.writer, "The ferryman counted nine lanterns.")
        moderation.reject_edit(edit, self.moderator, "Seven is the number in chapter one.")
        for model_name in ["revision", "pendingedit"]:
            with self.subTest(admin=model_name):
                url = reverse(f"admin:threads_{model_name}_history", args=[edit.pk])
                trail = self.client.get(url, follow=True)
                self.assertContains(trail, "Seven is the number in chapter one.")


class EditDiffTests(ReviewPageTestCase):
    def test_a_replaced_word_reads_apart_from_its_replacement(self):
        diff = word_diff("Corwin waited by the gate.", "Suspended, he waited by the gate.")
        self.assertEqual(strip_tags(diff), "Corwin Suspended, he waited by the gate.")

    def test_the_edit_queue_shows_deletions_and_insertions_as_separate_words(self):
        post = make_post(self.scene, character=self.character, body="Corwin waited.")
        posting.edit_post(post, self.writer, "Everyone waited.")
        queue = self.client.get(reverse("admin:threads_pendingedit_changelist"))
        self.assertContains(queue, "<del>Corwin</del> <ins>Everyone</ins>")


class DecisionMessageTests(ReviewPageTestCase):
    def test_the_decision_message_keeps_the_titles_capitals(self):
        post = self.pending_post()
        decide = reverse("admin:threads_post_decide", args=[post.pk])
        response = self.client.post(decide, {"decision": "approve"}, follow=True)
        messages = [str(message) for message in response.context["messages"]]
        self.assertEqual(
            messages, [f"Post #{post.number} in “The Harbourmaster Book” is approved."]
        )


class OddIdTests(ReviewPageTestCase):
    def test_a_unicode_digit_in_a_queue_or_report_url_is_not_found_not_a_crash(self):
        for model_name in ["pendingpost", "pendingedit", "reportedpost", "post", "revision"]:
            with self.subTest(admin=model_name):
                response = self.client.get(f"/admin/threads/{model_name}/%C2%B2/change/")
                self.assertRedirects(response, reverse("admin:index"))
                history = self.client.get(f"/admin/threads/{model_name}/%C2%B2/history/")
                self.assertEqual(history.status_code, 404)


class DismissedReportTests(ReviewPageTestCase):
    def test_a_dismissed_report_stays_out_of_the_writers_moderation_history(self):
        post = make_post(self.scene, character=self.character, body=BODY)
        Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
        moderation.resolve_reports(post, self.moderator, "dismiss")
        action = ModerationAction.objects.get()
        self.assertEqual((action.action, action.post, action.subject), ("dismiss", post, None))
        writer_page = self.client.get(reverse("admin:threads_user_change", args=[self.writer.pk]))
        self.assertNotContains(writer_page, "Dismissed report")
        self.assertContains(self.page(post), "Dismissed report")


class ReviewPageQueryTests(ReviewPageTestCase):
    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return [query["sql"] for query in queries]

    def test_a_post_page_reads_each_row_once(self):
        post = make_post(self.scene, character=self.character, body=BODY)
        posting.edit_post(post, self.writer, "The ferryman counted nine lanterns.")
        Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
        ModerationAction.objects.create(moderator=self.moderator, action="approve", post=post)
        queries = self.count_queries(reverse("admin:threads_post_change", args=[post.pk]))
        # It was 20, reading the post three times and its scene, writer and character twice.
        self.assertLessEqual(len(queries), 11)
        self.assertEqual(len(queries), len(set(queries)), "the same query ran twice")

    def test_a_queued_posts_page_reads_each_row_once(self):
        post = self.pending_post()
        queries = self.count_queries(reverse("admin:threads_pendingpost_change", args=[post.pk]))
        self.assertLessEqual(len(queries), 10)
        self.assertEqual(len(queries), len(set(queries)), "the same query ran twice")

    def test_a_revision_page_reads_its_post_once(self):
        post = make_post(self.scene, character=self.character, body=BODY)
        edit = posting.edit_post(post, self.writer, "The ferryman counted nine lanterns.")
        self.assertEqual(edit.status, Revision.Status.PENDING)
        for model_name in ["revision", "pendingedit"]:
            with self.subTest(admin=model_name):
                url = reverse(f"admin:threads_{model_name}_change", args=[edit.pk])
                queries = self.count_queries(url)
                self.assertEqual(len(queries), len(set(queries)), "the same query ran twice")
