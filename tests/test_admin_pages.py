"""The admin as the moderators' workplace: every page opens, the lists they work from run the
same number of queries however many rows they show, and decisions made by clicking through
its pages do what the moderator meant."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases import ModerationTestCase
from tests.factories import (
    make_chapter,
    make_character,
    make_moderator,
    make_pending_post,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads import moderation
from threads.models import ModerationAction, Post, Report, Revision


def add_rows(count, moderator):
    """``count`` of everything the moderators' lists show: pending posts, pending edits,
    reported posts, audit rows, each in a scene of its own story with its own writers."""
    for _ in range(count):
        writer, partner = make_user(), make_user()
        story = make_story(owner=writer, members=[partner])
        character, other = make_character(owner=writer), make_character(owner=partner)
        scene = make_scene(make_chapter(story), characters=[character, other])
        make_post(scene, character=other, body="An approved opening.")
        approved = make_post(scene, character=character, body="Approved words here.")
        Revision.objects.create(
            post=approved, number=2, body="Edited words here.", editor=writer, status="pending"
        )
        make_post(scene, character=other, status=Post.Status.PENDING, body="Waiting words.")
        Report.objects.create(post=approved, reporter=make_user(), reason="spam", note="Ads.")
        ModerationAction.objects.create(
            moderator=moderator, action="approve", post=approved, subject=writer
        )


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)
        cls.moderator = make_moderator()
        add_rows(2, cls.moderator)

    def test_every_changelist_and_change_page_opens_for_a_superuser(self):
        self.client.force_login(self.superuser)
        request = self.client.get(reverse("admin:index")).wsgi_request
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            with self.subTest(model=opts.label):
                changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                self.assertEqual(self.client.get(changelist).status_code, 200)
                obj = model_admin.get_queryset(request).first()
                if obj is not None:
                    change = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
                    )
                    self.assertEqual(self.client.get(change).status_code, 200)

    def test_every_add_page_opens_for_a_superuser(self):
        self.client.force_login(self.superuser)
        request = self.client.get(reverse("admin:index")).wsgi_request
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            if model_admin.has_add_permission(request):
                with self.subTest(model=opts.label):
                    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
                    self.assertEqual(self.client.get(add).status_code, 200)

    def test_moderator_opens_the_queue_reports_and_a_writers_page(self):
        self.client.force_login(self.moderator)
        writer = Post.objects.filter(status="pending").first().author
        for name in [
            "admin:index",
            "admin:threads_pendingpost_changelist",
            "admin:threads_pendingedit_changelist",
            "admin:threads_reportedpost_changelist",
            "admin:threads_report_changelist",
            "admin:threads_moderationaction_changelist",
            "admin:threads_post_changelist",
            "admin:threads_user_changelist",
        ]:
            with self.subTest(page=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        page = self.client.get(reverse("admin:threads_user_change", args=[writer.pk]))
        self.assertContains(page, "not trusted: their posts wait for approval")

    def test_admin_index_shows_what_waits(self):
        self.client.force_login(self.moderator)
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "<strong>2</strong> posts awaiting approval", html=True)
        self.assertContains(page, "<strong>2</strong> edits awaiting approval", html=True)
        self.assertContains(page, "<strong>2</strong> open reports", html=True)

    def test_the_queue_shows_the_post_its_context_and_the_edit_diff(self):
        self.client.force_login(self.moderator)
        queue = self.client.get(reverse("admin:threads_pendingpost_changelist"))
        self.assertContains(queue, "Waiting words.")
        self.assertContains(queue, "Approved words here.")  # the post before it
        edits = self.client.get(reverse("admin:threads_pendingedit_changelist"))
        self.assertContains(edits, "<del>Approved</del>", html=True)
        self.assertContains(edits, "<ins>Edited</ins>", html=True)


class ChangelistQueryCountTests(TestCase):
    """The same number of queries for a list of 2 rows and of 6: no query per row."""

    PAGES = [
        "admin:threads_pendingpost_changelist",
        "admin:threads_pendingedit_changelist",
        "admin:threads_reportedpost_changelist",
        "admin:threads_report_changelist",
        "admin:threads_moderationaction_changelist",
        "admin:threads_post_changelist",
        "admin:threads_revision_changelist",
        "admin:threads_user_changelist",
        "admin:threads_story_changelist",
        "admin:threads_membership_changelist",
        "admin:threads_chapter_changelist",
        "admin:threads_scene_changelist",
        "admin:threads_participant_changelist",
        "admin:threads_character_changelist",
    ]

    @classmethod
    def setUpTestData(cls):
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)
        cls.moderator = make_moderator()

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_moderation_lists_do_not_grow_with_their_rows(self):
        self.client.force_login(self.superuser)
        add_rows(2, self.moderator)
        few = {name: self.count_queries(reverse(name)) for name in self.PAGES}
        add_rows(4, self.moderator)
        for name in self.PAGES:
            with self.subTest(page=name):
                self.assertEqual(self.count_queries(reverse(name)), few[name])
                self.assertLessEqual(few[name], 12)

    def test_a_post_review_page_does_not_grow_with_its_history(self):
        self.client.force_login(self.moderator)
        add_rows(1, self.moderator)
        post = Post.objects.filter(status="approved").exclude(reports=None).get()
        url = reverse("admin:threads_post_change", args=[post.pk])
        few = self.count_queries(url)
        for number in range(3, 8):
            Revision.objects.create(post=post, number=number, body="Again.", editor=post.author)
            Report.objects.create(post=post, reporter=make_user(), reason="other")
            ModerationAction.objects.create(
                moderator=self.moderator, action="dismiss", post=post, subject=post.author
            )
        self.assertEqual(self.count_queries(url), few)
        self.assertLessEqual(few, 30)


class AdminDecisionTests(ModerationTestCase):
    """Decisions made through the admin's pages, as a moderator clicks through them."""

    def setUp(self):
        self.client.force_login(self.moderator)
        self.post = make_pending_post(self.scene, self.character)
        self.decide_url = reverse("admin:threads_post_decide", args=[self.post.pk])

    def test_rejecting_without_a_reason_keeps_the_post_waiting_and_says_why(self):
        here = reverse("admin:threads_pendingpost_change", args=[self.post.pk])
        response = self.client.post(
            self.decide_url, {"decision": "reject", "reason": "", "here": here}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], here)
        self.assertContains(response, "Give a reason: the writer will see it.")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "pending")

    def test_a_second_moderator_is_told_who_decided_first(self):
        self.client.post(self.decide_url, {"decision": "approve"})
        other = make_moderator("fern")
        self.client.force_login(other)
        response = self.client.post(self.decide_url, {"decision": "reject", "reason": "No."})
        page = self.client.get(response.url)
        self.assertContains(page, "it is already approved, by moss")
        self.assertEqual(ModerationAction.objects.count(), 1)

    def test_a_post_decided_meanwhile_opens_where_it_is_now(self):
        self.client.post(self.decide_url, {"decision": "approve"})
        queued = reverse("admin:threads_pendingpost_change", args=[self.post.pk])
        response = self.client.get(queued)
        self.assertRedirects(response, reverse("admin:threads_post_change", args=[self.post.pk]))

    def test_bulk_reject_asks_for_a_reason_before_rejecting(self):
        queue = reverse("admin:threads_pendingpost_changelist")
        chosen = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [self.post.pk]}
        page = self.client.post(queue, chosen)
        self.assertContains(page, "Reject these posts")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "pending")
        again = self.client.post(queue, {**chosen, "apply": "yes", "reason": ""})
        self.assertContains(again, "Give a reason")
        self.client.post(queue, {**chosen, "apply": "yes", "reason": "Wrong scene."})
        self.post.refresh_from_db()
        self.assertEqual(
            (self.post.status, self.post.moderation_reason), ("rejected", "Wrong scene.")
        )

    def test_bulk_approve_names_the_posts_someone_else_got_to_first(self):
        queue = reverse("admin:threads_pendingpost_changelist")
        other = make_pending_post(self.scene, self.character)
        moderation.approve(other, self.moderator)
        chosen = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [self.post.pk, other.pk]}
        page = self.client.post(queue, chosen, follow=True)
        self.assertContains(page, "Posts approved: 1.")
        self.assertContains(page, "1 of the selected rows had already left this list")

    def test_hiding_a_reported_post_from_the_grouped_reports(self):
        post = make_post(self.scene, character=self.character)
        Report.objects.create(post=post, reporter=make_user("ana"), reason="harassment")
        reported = reverse("admin:threads_reportedpost_changelist")
        self.assertContains(self.client.get(reported), "Harassment")
        chosen = {"action": "hide_posts", ACTION_CHECKBOX_NAME: [post.pk], "apply": "yes"}
        self.client.post(reported, {**chosen, "reason": "Targets another writer."})
        self.assertEqual(Post.objects.get(pk=post.pk).status, "rejected")
        self.assertEqual(Report.objects.get().resolution, "hidden")
        self.assertNotContains(self.client.get(reported), "Harassment")

    def test_suspending_from_a_writers_page(self):
        url = reverse("admin:threads_user_decide", args=[self.writer.pk])
        self.client.post(url, {"decision": "suspend", "reason": "Spam in three stories."})
        page = self.client.get(reverse("admin:threads_user_change", args=[self.writer.pk]))
        self.assertContains(page, "Spam in three stories.")
        self.assertContains(page, 'value="unsuspend"')
