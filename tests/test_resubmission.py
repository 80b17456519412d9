"""Editing a rejected (or hidden) post resubmits it: in an open scene, either as if posted
now (nobody answered it), or in place at its own number when others answered it, unless its
own turn was taken again since. A refused resubmission keeps the writer's text."""

from django.test import TestCase
from django.urls import reverse

from tests.cases import CastTestCase
from tests.factories import make_cast, make_moderator, make_narrator, make_post
from threads import moderation
from threads.models import Post, Scene
from threads.writing import posting, turns

REJECTED = Post.Status.REJECTED
NEW_TEXT = "Lucia waited at the ford, then spoke more gently."


class ResubmissionTestCase(CastTestCase):
    """Mira (Aleksei) went first in a round-robin scene; Teo's reply as Lucia was rejected,
    so Lucia is up again."""

    def setUp(self):
        make_post(self.scene, character=self.aleksei, body="Aleksei crossed first.")
        self.rejected = make_post(
            self.scene,
            character=self.lucia,
            status=REJECTED,
            moderation_reason="Keep it to the story's rating.",
        )

    def edit(self, post, body=NEW_TEXT, user=None):
        self.client.force_login(user or post.author)
        return self.client.post(reverse("post_edit", args=[post.pk]), {"body": body})

    def assert_refused(self, response, message, post=None):
        """Refused with ``message``, the writer's text back in the form, nothing saved."""
        post = post or self.rejected
        self.assertContains(response, message, status_code=409)
        self.assertContains(response, f"{NEW_TEXT}</textarea>", status_code=409)
        self.assertContains(
            response, "Nothing was saved; your text is kept below.", status_code=409
        )
        post.refresh_from_db()
        self.assertEqual(post.status, REJECTED)
        self.assertEqual(post.revisions.count(), 1)

    def up(self):
        up = turns.turn_state(self.scene).next_up
        return up.character.name if up else None


class WhenResubmittingIsAllowedTests(ResubmissionTestCase):
    def test_the_latest_rejected_turn_is_resubmitted_while_its_character_is_up(self):
        self.assertEqual(self.up(), "Lucia")
        response = self.edit(self.rejected)
        self.rejected.refresh_from_db()
        self.assertEqual((self.rejected.status, self.rejected.body), ("pending", NEW_TEXT))
        self.assertEqual(self.up(), "Aleksei")
        page = self.client.get(response.url)
        self.assertContains(page, "Resubmitted. Your post waits for a moderator again")
        self.assertNotContains(page, "Edit saved.")

    def test_ooc_notes_after_the_rejected_post_do_not_stop_it(self):
        make_post(self.scene, author=self.mira, kind="ooc", body="Take your time.")
        self.edit(self.rejected)
        self.rejected.refresh_from_db()
        self.assertEqual(self.rejected.status, "pending")

    def test_a_rejected_ooc_note_is_resubmitted_whatever_came_after(self):
        note = make_post(self.scene, author=self.teo, kind="ooc", status=REJECTED)
        posting.skip_turn(self.scene, self.mira)  # Lucia is skipped; the turn moves on
        self.edit(note)
        note.refresh_from_db()
        self.assertEqual((note.status, note.body), ("pending", NEW_TEXT))

    def test_an_approved_post_in_a_closed_scene_can_still_be_corrected(self):
        first = Post.objects.get(scene=self.scene, number=1)
        self.mira.is_trusted = True
        self.mira.save()
        Scene.objects.filter(pk=self.scene.pk).update(is_open=False)
        self.edit(first, body="Aleksei crossed first, lantern dark.")
        first.refresh_from_db()
        self.assertEqual(first.body, "Aleksei crossed first, lantern dark.")


class WhenResubmittingIsRefusedTests(ResubmissionTestCase):
    def test_a_rejected_post_is_not_resubmitted_into_a_closed_scene(self):
        Scene.objects.filter(pk=self.scene.pk).update(is_open=False)
        response = self.edit(self.rejected)
        self.assert_refused(response, "This scene is closed: it takes no new posts.")

    def test_a_rejected_turn_is_not_resubmitted_once_the_scene_moved_on(self):
        posting.skip_turn(self.scene, self.mira)  # Lucia skipped: Aleksei is up
        make_post(self.scene, character=self.aleksei)  # and took his turn: Lucia is up
        self.assertEqual(self.up(), "Lucia")
        response = self.edit(self.rejected)
        self.assert_refused(response, "The scene has moved on since this post was rejected")
        self.assertEqual(self.up(), "Lucia")

    def test_a_rejected_turn_is_not_resubmitted_out_of_turn(self):
        posting.skip_turn(self.scene, self.mira)  # Aleksei is up, not Lucia
        response = self.edit(self.rejected)
        self.assert_refused(response, "Your post cannot be resubmitted now.")
        self.assertEqual(self.up(), "Aleksei")

    def test_a_hidden_post_follows_the_same_rule(self):
        Post.objects.filter(pk=self.rejected.pk).update(status=Post.Status.PENDING)
        moderation.hide(self.rejected, make_moderator(), "Reported as off-topic.")
        Scene.objects.filter(pk=self.scene.pk).update(is_open=False)
        response = self.edit(self.rejected)
        self.assert_refused(response, "This scene is closed")

    def test_a_character_who_left_the_scene_cannot_come_back_through_a_resubmission(self):
        self.scene.participants.filter(character=self.lucia).delete()
        response = self.edit(self.rejected)
        self.assert_refused(response, "Lucia is not taking part in this scene.")

    def test_the_edit_page_says_up_front_why_saving_will_not_resubmit(self):
        Scene.objects.filter(pk=self.scene.pk).update(is_open=False)
        self.client.force_login(self.teo)
        page = self.client.get(reverse("post_edit", args=[self.rejected.pk]))
        self.assertContains(page, "Your post cannot be resubmitted now. This scene is closed")
        self.assertNotContains(page, "Saving your changes resubmits it")


class FreeSceneTests(ResubmissionTestCase):
    cast_options = {"turn_mode": Scene.TurnMode.FREE}

    def test_in_a_free_scene_a_rejected_post_comes_back_even_after_others_posted(self):
        make_post(self.scene, character=self.aleksei)
        self.edit(self.rejected)
        self.rejected.refresh_from_db()
        self.assertEqual(self.rejected.status, "pending")


class NarratorLedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cast = make_cast(solo=True, turn_mode=Scene.TurnMode.NARRATOR_LED)
        cls.aleksei, cls.scene = cast.aleksei, cast.scene
        cls.nora = make_narrator(cast.story)

    def test_rejected_narration_answered_by_players_comes_back_in_place(self):
        make_post(self.scene, author=self.nora, kind="narration")
        rejected = make_post(self.scene, author=self.nora, kind="narration", status=REJECTED)
        make_post(self.scene, character=self.aleksei)  # the round is over: narrator is up
        self.assertTrue(turns.turn_state(self.scene).narrator_up)
        self.client.force_login(self.nora)
        url = reverse("post_edit", args=[rejected.pk])
        self.client.post(url, {"body": "The storm broke over the tower."})
        rejected.refresh_from_db()
        self.assertEqual((rejected.status, rejected.number), (Post.Status.PENDING, 2))
        self.assertTrue(turns.turn_state(self.scene).narrator_up)

    def test_rejected_narration_is_not_resubmitted_once_new_narration_replaced_it(self):
        rejected = make_post(self.scene, author=self.nora, kind="narration", status=REJECTED)
        make_post(self.scene, author=self.nora, kind="narration", body="Told again.")
        self.client.force_login(self.nora)
        url = reverse("post_edit", args=[rejected.pk])
        response = self.client.post(url, {"body": "The storm broke over the tower."})
        self.assertContains(response, "its turn was taken again", status_code=409)
        rejected.refresh_from_db()
        self.assertEqual(rejected.status, REJECTED)
