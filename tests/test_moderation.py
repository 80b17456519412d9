"""Moderators' decisions: what each one changes, the counts, the audit trail, and the
decisions that are refused with a message."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from tests.cases import ModerationTestCase
from tests.factories import (
    make_cast,
    make_chapter,
    make_moderator,
    make_pending_post,
    make_post,
    make_scene,
    make_user,
)
from threads import moderation
from threads.models import Chapter, ModerationAction, Post, Report, Revision, Scene, Story
from threads.moderation import ModerationError


class DecisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()
        cast = make_cast(lucia=False)
        cls.writer, cls.partner, cls.character = cast.mira, cast.teo, cast.aleksei
        cls.story, cls.chapter, cls.scene = cast.story, cast.chapter, cast.scene

    def pending(self, body="Four words of story.", **fields):
        fields.setdefault("character", self.character)
        return make_pending_post(self.scene, body=body, **fields)

    def counts(self):
        return (
            Scene.objects.get(pk=self.scene.pk).word_count,
            Chapter.objects.get(pk=self.chapter.pk).word_count,
            Story.objects.get(pk=self.story.pk).word_count,
        )

    def test_approving_a_pending_post_makes_it_public_and_counts_its_words(self):
        post = self.pending()
        moderation.approve(post, self.moderator)
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.APPROVED)
        self.assertIsNotNone(post.approved_at)
        self.assertEqual(self.counts(), (4, 4, 4))
        self.assertIn(post, Post.objects.for_readers())

    def test_approving_marks_the_story_updated(self):
        before = Story.objects.get(pk=self.story.pk).updated_at
        moderation.approve(self.pending(), self.moderator)
        self.assertGreater(Story.objects.get(pk=self.story.pk).updated_at, before)

    def test_every_decision_writes_one_audit_row_with_who_and_why(self):
        post = self.pending()
        moderation.reject(post, self.moderator, "Please tag the violence.")
        action = ModerationAction.objects.get()
        self.assertEqual(
            (action.moderator, action.action, action.post, action.subject, action.reason),
            (self.moderator, "reject", post, self.writer, "Please tag the violence."),
        )

    def test_rejecting_keeps_the_reason_on_the_post_for_its_writer(self):
        post = self.pending()
        moderation.reject(post, self.moderator, "  Please tag the violence.  ")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.REJECTED)
        self.assertEqual(post.moderation_reason, "Please tag the violence.")
        self.assertEqual(self.counts(), (0, 0, 0))

    def test_rejecting_without_a_reason_is_refused(self):
        post = self.pending()
        with self.assertRaisesMessage(ModerationError, "Give a reason"):
            moderation.reject(post, self.moderator, "   ")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.PENDING)
        self.assertFalse(ModerationAction.objects.exists())

    def test_approving_a_withdrawn_post_is_refused_with_a_message(self):
        post = self.pending()
        Post.objects.filter(pk=post.pk).update(status=Post.Status.WITHDRAWN)
        with self.assertRaisesMessage(ModerationError, "its writer withdrew it"):
            moderation.approve(post, self.moderator)
        self.assertEqual(Post.objects.get(pk=post.pk).status, Post.Status.WITHDRAWN)
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertFalse(ModerationAction.objects.exists())

    def test_a_second_decision_on_the_same_post_is_refused_and_says_who_decided(self):
        post = self.pending()
        moderation.approve(post, self.moderator)
        other = make_moderator("fern")
        with self.assertRaisesMessage(ModerationError, "already approved, by moss"):
            moderation.reject(post, other, "Too late.")
        self.assertEqual(ModerationAction.objects.count(), 1)
        self.assertEqual(self.counts(), (4, 4, 4))

    def test_hiding_an_approved_post_takes_its_words_out_of_the_counts(self):
        post = make_post(self.scene, character=self.character, body="Five words of the story.")
        self.assertEqual(self.counts(), (5, 5, 5))
        moderation.hide(post, self.moderator, "Reported as spam, and it is.")
        post.refresh_from_db()
        self.assertEqual(post.status, Post.Status.REJECTED)
        self.assertEqual(self.counts(), (0, 0, 0))
        self.assertEqual(ModerationAction.objects.get().action, "hide")

    def test_restoring_a_rejected_post_approves_it_and_counts_it_again(self):
        post = self.pending()
        moderation.reject(post, self.moderator, "Wrong character.")
        moderation.restore(post, self.moderator)
        post.refresh_from_db()
        self.assertEqual((post.status, post.moderation_reason), (Post.Status.APPROVED, ""))
        self.assertEqual(self.counts(), (4, 4, 4))
        self.assertEqual(
            list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)),
            ["reject", "restore"],
        )

    def test_only_a_rejected_post_can_be_restored(self):
        with self.assertRaisesMessage(ModerationError, "awaiting approval"):
            moderation.restore(self.pending(), self.moderator)

    def test_approving_an_out_of_character_post_counts_no_words(self):
        post = make_pending_post(self.scene, author=self.partner, kind=Post.Kind.OUT_OF_CHARACTER)
        moderation.approve(post, self.moderator)
        self.assertEqual(Post.objects.get(pk=post.pk).status, Post.Status.APPROVED)
        self.assertEqual(self.counts(), (0, 0, 0))

    def test_approving_in_an_unpublished_chapter_leaves_the_story_count_alone(self):
        draft = make_chapter(self.story, is_published=False)
        scene = make_scene(draft, characters=[self.character])
        post = make_pending_post(scene, self.character, body="Two words")
        moderation.approve(post, self.moderator)
        self.assertEqual(Chapter.objects.get(pk=draft.pk).word_count, 2)
        self.assertEqual(Story.objects.get(pk=self.story.pk).word_count, 0)

    def test_staff_without_the_moderators_group_cannot_decide(self):
        staff = make_user("clerk", is_staff=True)
        post = self.pending()
        with self.assertRaises(PermissionDenied):
            moderation.approve(post, staff)
        self.assertEqual(Post.objects.get(pk=post.pk).status, Post.Status.PENDING)


class EditDecisionTests(ModerationTestCase):
    def setUp(self):
        self.post = make_post(self.scene, character=self.character, body="The old text here.")

    def edit(self, body, number=2):
        return Revision.objects.create(
            post=self.post, number=number, body=body, editor=self.writer, status="pending"
        )

    def test_approving_an_edit_puts_the_new_text_before_readers(self):
        revision = self.edit("The new and longer text here.")
        moderation.approve_edit(revision, self.moderator)
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "The new and longer text here.")
        self.assertIn("longer", self.post.body_html)
        self.assertEqual(Revision.objects.get(pk=revision.pk).status, "approved")
        self.assertEqual(Story.objects.get(pk=self.story.pk).word_count, 6)
        self.assertEqual(Scene.objects.get(pk=self.scene.pk).word_count, 6)

    def test_rejecting_an_edit_keeps_the_approved_text_public(self):
        revision = self.edit("Something the moderators will not take.")
        moderation.reject_edit(revision, self.moderator, "This gives away the ending.")
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "The old text here.")
        self.assertEqual(self.post.status, Post.Status.APPROVED)
        self.assertEqual(Revision.objects.get(pk=revision.pk).status, "rejected")
        action = ModerationAction.objects.get()
        self.assertEqual((action.action, action.revision), ("reject_edit", revision))

    def test_an_older_edit_cannot_be_approved_over_a_newer_one(self):
        older = self.edit("First try.")
        newer = self.edit("Second try, better.", number=3)
        with self.assertRaisesMessage(ModerationError, "decide on the newest edit"):
            moderation.approve_edit(older, self.moderator)
        moderation.approve_edit(newer, self.moderator)
        self.assertEqual(Revision.objects.get(pk=older.pk).status, "rejected")
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "Second try, better.")

    def test_an_edit_decided_twice_is_refused(self):
        revision = self.edit("A better sentence.")
        moderation.approve_edit(revision, self.moderator)
        with self.assertRaisesMessage(ModerationError, "already approved"):
            moderation.reject_edit(revision, self.moderator, "No.")
        self.assertEqual(ModerationAction.objects.count(), 1)

    def test_an_edit_of_a_hidden_post_cannot_be_approved(self):
        revision = self.edit("A better sentence.")
        moderation.hide(self.post, self.moderator, "Reported for harassment.")
        with self.assertRaisesMessage(ModerationError, "no longer approved"):
            moderation.approve_edit(revision, self.moderator)


class ReportResolutionTests(ModerationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.readers = [make_user("ana"), make_user("bo")]

    def setUp(self):
        self.post = make_post(self.scene, character=self.character)
        for reader in self.readers:
            Report.objects.create(post=self.post, reporter=reader, reason="spam")

    def test_hiding_resolves_every_open_report_on_the_post(self):
        resolved = moderation.resolve_reports(self.post, self.moderator, "hide", "Advertising.")
        self.assertEqual(resolved, 2)
        self.post.refresh_from_db()
        self.assertEqual(
            (self.post.status, self.post.moderation_reason), ("rejected", "Advertising.")
        )
        self.assertEqual(
            set(Report.objects.values_list("resolution", "resolved_by")),
            {("hidden", self.moderator.pk)},
        )

    def test_dismissing_leaves_the_post_public(self):
        moderation.resolve_reports(self.post, self.moderator, "dismiss")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "approved")
        self.assertEqual(set(Report.objects.values_list("resolution", flat=True)), {"dismissed"})
        self.assertEqual(ModerationAction.objects.get().action, "dismiss")

    def test_suspending_the_author_also_hides_the_post(self):
        moderation.resolve_reports(self.post, self.moderator, "suspend", "Spam, again and again.")
        self.writer.refresh_from_db()
        self.assertTrue(self.writer.is_suspended)
        self.assertEqual(self.writer.suspension_reason, "Spam, again and again.")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "rejected")
        self.assertEqual(
            sorted(ModerationAction.objects.values_list("action", flat=True)),
            ["hide", "suspend"],
        )

    def test_reports_already_resolved_are_not_resolved_again(self):
        moderation.resolve_reports(self.post, self.moderator, "dismiss")
        with self.assertRaisesMessage(ModerationError, "already resolved"):
            moderation.resolve_reports(self.post, self.moderator, "hide", "Changed my mind.")
        self.assertEqual(Post.objects.get(pk=self.post.pk).status, "approved")

    def test_hiding_needs_a_reason_for_the_writer(self):
        with self.assertRaisesMessage(ModerationError, "Give a reason"):
            moderation.resolve_reports(self.post, self.moderator, "hide", "")
        self.assertEqual(Report.objects.filter(resolution="open").count(), 2)


class WriterDecisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator()

    def setUp(self):
        self.writer = make_user("mira")

    def test_a_trusted_writer_no_longer_needs_review(self):
        self.assertTrue(moderation.needs_review(self.writer))
        moderation.set_trusted(self.writer, self.moderator, True)
        self.writer.refresh_from_db()
        self.assertFalse(moderation.needs_review(self.writer))
        self.assertEqual(ModerationAction.objects.get().subject, self.writer)

    def test_trusting_twice_is_refused(self):
        moderation.set_trusted(self.writer, self.moderator, True)
        with self.assertRaisesMessage(ModerationError, "already trusted"):
            moderation.set_trusted(self.writer, self.moderator, True)

    def test_suspending_records_the_reason_and_unsuspending_clears_it(self):
        moderation.suspend(self.writer, self.moderator, "Harassing other writers.")
        self.writer.refresh_from_db()
        self.assertEqual(self.writer.suspension_reason, "Harassing other writers.")
        moderation.unsuspend(self.writer, self.moderator)
        self.writer.refresh_from_db()
        self.assertFalse(self.writer.is_suspended)
        self.assertEqual(
            list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)),
            ["suspend", "unsuspend"],
        )

    def test_a_moderator_cannot_suspend_themselves(self):
        with self.assertRaisesMessage(ModerationError, "cannot suspend yourself"):
            moderation.suspend(self.moderator, self.moderator, "Testing.")

    def test_unsuspending_someone_not_suspended_is_refused(self):
        with self.assertRaisesMessage(ModerationError, "is not suspended"):
            moderation.unsuspend(self.writer, self.moderator)

    @override_settings(RP_PREMODERATION=False)
    def test_without_premoderation_nobody_waits_for_review(self):
        self.assertFalse(moderation.needs_review(self.writer))


class ModeratorsGroupTests(TestCase):
    def test_the_migration_gives_moderators_exactly_the_permissions_they_need(self):
        from django.contrib.auth.models import Group

        group = Group.objects.get(name="Moderators")
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        self.assertEqual(granted, set(moderation.MODERATOR_PERMISSIONS))
        self.assertNotIn("threads.change_post", granted)

    def test_make_moderator_gives_staff_status_and_the_group(self):
        user = make_user("fern")
        call_command("make_moderator", "fern", stdout=io.StringIO())
        user.refresh_from_db()
        self.assertTrue(user.is_staff)
        self.assertTrue(user.is_moderator)
        call_command("make_moderator", "fern", "--remove", stdout=io.StringIO())
        user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
        self.assertFalse(user.is_staff)
        self.assertFalse(user.is_moderator)

    def test_make_moderator_names_an_unknown_user(self):
        with pytest.raises(CommandError, match="No user is called 'nobody'"):
            call_command("make_moderator", "nobody")

    def test_the_group_keeps_permissions_an_administrator_gave_it_by_hand(self):
        from django.contrib.auth.models import Permission

        group = moderation.moderators_group()
        group.permissions.add(
            Permission.objects.get(content_type__app_label="threads", codename="change_story")
        )
        fern = make_user("fern")
        # make_moderator runs moderators_group() again, as seed_demo does.
        call_command("make_moderator", "fern", stdout=io.StringIO())
        fern = type(fern).objects.get(pk=fern.pk)  # a fresh permission cache
        self.assertTrue(fern.has_perm("threads.change_story"))
        self.assertTrue(fern.has_perm("threads.moderate_post"))

    def test_the_group_gets_back_a_moderator_permission_that_went_missing(self):
        from django.contrib.auth.models import Permission

        group = moderation.moderators_group()
        group.permissions.remove(
            Permission.objects.get(content_type__app_label="threads", codename="resolve_report")
        )
        group.permissions.add(
            Permission.objects.get(content_type__app_label="threads", codename="change_story")
        )
        moderation.moderators_group()
        granted = set(group.permissions.values_list("codename", flat=True))
        self.assertIn("resolve_report", granted)
        self.assertIn("change_story", granted)
        self.assertNotIn("change_post", granted)
