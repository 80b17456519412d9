"""Editing a post (every edit a Revision, the pending-edit policy), its history, and
withdrawing the latest post."""

from django.urls import reverse

from tests.cases import CastTestCase
from tests.factories import make_post, make_user
from threads.models import Chapter, Post, Revision, Story
from threads.writing import frontier, posting, turns


class EditingTestCase(CastTestCase):
    """Mira (Aleksei) and Teo (Lucia) in a round-robin scene of a public story; Sasha is a
    stranger with an account."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sasha = make_user("sasha")

    def setUp(self):
        self.post = make_post(self.scene, character=self.aleksei, body="The old bridge held.")

    def edit(self, user, body, post=None, **extra):
        self.client.force_login(user)
        post = post or self.post
        return self.client.post(reverse("post_edit", args=[post.pk]), {"body": body, **extra})

    def trust(self, user):
        user.is_trusted = True
        user.save()

    def counts(self):
        self.story.refresh_from_db()
        self.scene.refresh_from_db()
        return self.story.word_count, self.scene.word_count


class EditPolicyTests(EditingTestCase):
    def test_trusted_writers_edit_changes_the_post_at_once_and_keeps_a_revision(self):
        self.trust(self.mira)
        self.edit(self.mira, "The old stone bridge held, barely.")
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "The old stone bridge held, barely.")
        self.assertIsNotNone(self.post.edited_at)
        revisions = list(self.post.revisions.values_list("number", "body", "status"))
        self.assertEqual(
            revisions,
            [
                (1, "The old bridge held.", "approved"),
                (2, "The old stone bridge held, barely.", "approved"),
            ],
        )
        self.assertEqual(self.counts(), (6, 6))

    def test_untrusted_edit_of_an_approved_post_waits_and_readers_keep_the_approved_text(self):
        response = self.edit(self.mira, "A rewritten sentence nobody approved yet.")
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "The old bridge held.")
        self.assertEqual(self.post.status, Post.Status.APPROVED)
        pending = self.post.revisions.get(number=2)
        self.assertEqual(pending.status, Revision.Status.PENDING)
        self.assertEqual(self.counts(), (4, 4))
        page = self.client.get(response.url)
        self.assertContains(page, "It waits for a moderator")
        self.assertContains(page, "Your edit is awaiting approval")
        self.client.logout()
        reader_page = self.client.get(self.scene.get_absolute_url())
        self.assertContains(reader_page, "The old bridge held.")
        self.assertNotContains(reader_page, "A rewritten sentence")

    def test_edit_form_starts_from_the_writers_edit_awaiting_approval(self):
        self.edit(self.mira, "First try at a better line.")
        response = self.client.get(reverse("post_edit", args=[self.post.pk]))
        self.assertContains(response, "First try at a better line.</textarea>")
        self.assertContains(response, "An earlier edit is awaiting approval")

    def test_editing_a_rejected_post_resubmits_it_for_approval(self):
        rejected = make_post(
            self.scene,
            character=self.lucia,
            status=Post.Status.REJECTED,
            moderation_reason="Mind the rating.",
        )
        self.trust(self.teo)  # even a trusted writer's rejected post goes back to a moderator
        self.client.force_login(self.teo)
        form_page = self.client.get(reverse("post_edit", args=[rejected.pk]))
        self.assertContains(form_page, "Their reason: Mind the rating.")
        self.edit(self.teo, "A gentler reply.", post=rejected)
        rejected.refresh_from_db()
        self.assertEqual(
            (rejected.status, rejected.body), (Post.Status.PENDING, "A gentler reply.")
        )
        self.assertEqual(self.counts(), (4, 4))
        # Pending again, it takes Lucia's turn again.
        self.assertEqual(turns.turn_state(self.scene).next_up.character, self.aleksei)

    def test_editing_a_pending_post_replaces_the_waiting_text(self):
        waiting = make_post(self.scene, character=self.lucia, status=Post.Status.PENDING)
        self.edit(self.teo, "Better words, still waiting.", post=waiting)
        waiting.refresh_from_db()
        self.assertEqual(
            (waiting.status, waiting.body), (Post.Status.PENDING, "Better words, still waiting.")
        )
        self.assertEqual(waiting.revisions.count(), 2)
        self.assertEqual(self.counts(), (4, 4))

    def test_an_edit_that_changes_nothing_saves_nothing(self):
        response = self.edit(self.mira, "The old bridge held.")
        self.assertEqual(self.post.revisions.count(), 1)
        self.assertContains(self.client.get(response.url), "Nothing changed")

    def test_only_the_author_may_edit(self):
        self.assertEqual(self.edit(self.teo, "Hijacked.").status_code, 403)
        self.assertEqual(self.edit(self.sasha, "Hijacked.").status_code, 403)
        self.post.refresh_from_db()
        self.assertEqual(self.post.revisions.count(), 1)

    def test_stranger_gets_404_when_the_story_is_members_only(self):
        Story.objects.filter(pk=self.story.pk).update(visibility=Story.Visibility.MEMBERS)
        self.assertEqual(self.edit(self.sasha, "Hijacked.").status_code, 404)
        self.client.force_login(self.sasha)
        self.assertEqual(
            self.client.get(reverse("post_history", args=[self.post.pk])).status_code, 404
        )
        withdraw = self.client.post(reverse("post_withdraw", args=[self.post.pk]))
        self.assertEqual(withdraw.status_code, 404)

    def test_suspended_writer_cannot_edit_and_is_told_why(self):
        self.mira.suspend("Impersonating a moderator.")
        response = self.edit(self.mira, "One more change.")
        self.assertContains(response, "Impersonating a moderator.", status_code=403)
        self.assertContains(response, "One more change.</textarea>", status_code=403)
        self.assertEqual(self.post.revisions.count(), 1)

    def test_oversized_edit_is_refused_and_the_text_kept(self):
        body = "x" * 100_001
        response = self.edit(self.mira, body)
        self.assertContains(response, "the limit is 100,000", status_code=400)
        self.assertIn(body, response.content.decode())

    def test_preview_of_an_edit_renders_markdown_without_saving(self):
        response = self.edit(self.mira, "Now **bold**.", preview="1")
        self.assertContains(response, "<p>Now <strong>bold</strong>.</p>")
        self.assertEqual(self.post.revisions.count(), 1)

    def test_skips_cannot_be_edited(self):
        skip = make_post(self.scene, author=self.mira, character=self.lucia, kind="skip", body="")
        response = self.edit(self.mira, "Text on a skip.", post=skip)
        self.assertContains(response, "can no longer be edited", status_code=400)


class HistoryTests(EditingTestCase):
    def setUp(self):
        super().setUp()
        self.trust(self.mira)
        posting.edit_post(self.post, self.mira, "The old <b>rope</b> bridge held.")

    def test_members_see_every_version_with_what_changed(self):
        self.client.force_login(self.teo)
        response = self.client.get(reverse("post_history", args=[self.post.pk]))
        self.assertContains(response, "Version 2")
        self.assertContains(response, "Version 1")
        self.assertContains(response, "<ins>&lt;b&gt;rope&lt;/b&gt;</ins> bridge")

    def test_history_never_marks_user_text_safe(self):
        self.client.force_login(self.teo)
        response = self.client.get(reverse("post_history", args=[self.post.pk]))
        self.assertNotContains(response, "<b>rope</b>")

    def test_readers_who_are_not_members_cannot_see_history(self):
        self.client.force_login(self.sasha)
        response = self.client.get(reverse("post_history", args=[self.post.pk]))
        self.assertEqual(response.status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("post_history", args=[self.post.pk]))
        self.assertEqual(response.status_code, 302)

    def test_a_rejected_edit_is_shown_only_to_its_writer(self):
        Revision.objects.create(
            post=self.post,
            number=3,
            body="A line the moderators refused.",
            editor=self.mira,
            status=Revision.Status.REJECTED,
        )
        self.client.force_login(self.teo)
        url = reverse("post_history", args=[self.post.pk])
        self.assertNotContains(self.client.get(url), "A line the moderators refused.")
        self.client.force_login(self.mira)
        self.assertContains(self.client.get(url), "A line the moderators refused.")


class WithdrawTests(EditingTestCase):
    def withdraw(self, user, post=None):
        self.client.force_login(user)
        return self.client.post(reverse("post_withdraw", args=[(post or self.post).pk]))

    def test_author_withdraws_their_latest_post_and_gets_the_turn_back(self):
        self.assertEqual(turns.turn_state(self.scene).next_up.character, self.lucia)
        response = self.withdraw(self.mira)
        self.post.refresh_from_db()
        self.assertEqual(self.post.status, Post.Status.WITHDRAWN)
        self.assertEqual(turns.turn_state(self.scene).next_up.character, self.aleksei)
        page = self.client.get(response.url)
        self.assertContains(page, "Post #1 was withdrawn.")
        self.assertNotContains(page, "The old bridge held.")

    def test_withdrawing_an_approved_post_takes_its_words_out_of_the_counts(self):
        self.assertEqual(self.counts(), (4, 4))
        self.withdraw(self.mira)
        self.assertEqual(self.counts(), (0, 0))

    def test_a_post_that_was_answered_cannot_be_withdrawn(self):
        make_post(self.scene, character=self.lucia)
        response = self.withdraw(self.mira)
        self.post.refresh_from_db()
        self.assertEqual(self.post.status, Post.Status.APPROVED)
        self.assertContains(self.client.get(response.url), "Only your latest post")

    def test_an_ooc_note_after_it_does_not_stop_a_withdrawal(self):
        make_post(self.scene, author=self.teo, kind="ooc", body="Nice one!")
        self.withdraw(self.mira)
        self.post.refresh_from_db()
        self.assertEqual(self.post.status, Post.Status.WITHDRAWN)

    def test_only_the_author_may_withdraw(self):
        self.assertEqual(self.withdraw(self.teo).status_code, 403)
        self.assertEqual(self.withdraw(self.sasha).status_code, 403)
        self.post.refresh_from_db()
        self.assertEqual(self.post.status, Post.Status.APPROVED)

    def test_withdraw_needs_a_post_request(self):
        self.client.force_login(self.mira)
        response = self.client.get(reverse("post_withdraw", args=[self.post.pk]))
        self.assertEqual(response.status_code, 405)

    def test_withdraw_button_shows_only_on_the_authors_latest_post(self):
        self.client.force_login(self.mira)
        page = self.client.get(self.scene.get_absolute_url())
        self.assertContains(page, reverse("post_withdraw", args=[self.post.pk]))
        self.client.force_login(self.teo)
        page = self.client.get(self.scene.get_absolute_url())
        self.assertNotContains(page, reverse("post_withdraw", args=[self.post.pk]))

    def test_owner_can_undo_a_skip_and_the_skipped_writer_is_up_again(self):
        skip = posting.skip_turn(self.scene, self.mira)
        self.assertEqual(turns.turn_state(self.scene).next_up.character, self.aleksei)
        self.withdraw(self.mira, post=skip)
        self.assertEqual(turns.turn_state(self.scene).next_up.character, self.lucia)


class StrangerAccessTests(EditingTestCase):
    """Sasha, who has no part in the story, asks for a post's edit or history page where
    she cannot read it: a 404, so she learns nothing, and never a 403."""

    def pages(self):
        """Status codes of the edit page, an edit sent to it, and the history page."""
        edit_url = reverse("post_edit", args=[self.post.pk])
        return [
            self.client.get(edit_url).status_code,
            self.client.post(edit_url, {"body": "Hijacked."}).status_code,
            self.client.get(reverse("post_history", args=[self.post.pk])).status_code,
        ]

    def test_a_members_only_story_is_a_404_for_every_post_page(self):
        Story.objects.filter(pk=self.story.pk).update(visibility=Story.Visibility.MEMBERS)
        self.client.force_login(self.sasha)
        self.assertEqual(self.pages(), [404, 404, 404])
        self.assertEqual(self.post.revisions.count(), 1)

    def test_an_unpublished_chapter_is_a_404_for_every_post_page(self):
        Chapter.objects.filter(pk=self.scene.chapter_id).update(is_published=False)
        self.client.force_login(self.sasha)
        self.assertEqual(self.pages(), [404, 404, 404])
        self.assertEqual(self.post.revisions.count(), 1)

    def test_the_writers_still_reach_those_pages_in_an_unpublished_chapter(self):
        Chapter.objects.filter(pk=self.scene.chapter_id).update(is_published=False)
        self.client.force_login(self.mira)
        self.assertEqual(
            self.client.get(reverse("post_edit", args=[self.post.pk])).status_code, 200
        )
        self.client.force_login(self.teo)
        history = self.client.get(reverse("post_history", args=[self.post.pk]))
        self.assertEqual(history.status_code, 200)

    def test_a_hidden_post_in_a_public_story_is_a_404_not_a_403(self):
        Post.objects.filter(pk=self.post.pk).update(status=Post.Status.REJECTED)
        frontier.refresh(self.post.scene_id)  # as a moderator's decision would
        self.client.force_login(self.sasha)
        self.assertEqual(self.pages(), [404, 404, 404])
