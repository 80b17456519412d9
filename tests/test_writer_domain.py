"""The writer's side in its models and threads/membership.py: retiring a character takes it
out of open scenes' casts (so no round robin waits on it), removing a member does the same
for their characters, and each state change saves only its own fields."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Character, Membership, Participant, Scene, Story
from threads.writing import membership, turns


class CastTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira")
        cls.teo = make_user("teo")
        cls.story = make_story(owner=cls.mira, members=[cls.teo], title="Glass & Tide")
        chapter = make_chapter(cls.story)
        cls.aleksei = make_character(owner=cls.mira, name="Aleksei")
        cls.lucia = make_character(owner=cls.teo, name="Lucia")
        cls.odile = make_character(owner=cls.mira, name="Odile")
        cast = [cls.aleksei, cls.lucia, cls.odile]
        cls.open_scene = make_scene(chapter, characters=cast, title="The pier")
        cls.closed_scene = make_scene(chapter, characters=cast, title="Old", is_open=False)
        make_post(cls.open_scene, character=cls.aleksei, body="Aleksei waits.")

    def cast(self, scene):
        rows = scene.participants.order_by("position").values_list("character__name", "position")
        return list(rows)


class RetiringTests(CastTestCase):
    def retire(self, character, retired="1"):
        self.client.force_login(character.owner)
        url = reverse("character_retire", args=[character.slug])
        return self.client.post(url, {"retired": retired})

    def test_round_robin_no_longer_waits_on_a_retired_character(self):
        assert turns.turn_state(self.open_scene).next_up.character == self.lucia
        self.retire(self.lucia)
        assert turns.turn_state(self.open_scene).next_up.character == self.odile

    def test_a_retired_character_leaves_open_casts_which_close_ranks(self):
        self.retire(self.lucia)
        assert self.cast(self.open_scene) == [("Aleksei", 1), ("Odile", 2)]

    def test_closed_scenes_keep_their_cast_as_it_was_written(self):
        self.retire(self.lucia)
        assert self.cast(self.closed_scene) == [("Aleksei", 1), ("Lucia", 2), ("Odile", 3)]

    def test_retiring_the_first_of_three_renumbers_without_a_clash(self):
        self.retire(self.aleksei)
        assert self.cast(self.open_scene) == [("Lucia", 1), ("Odile", 2)]
        self.aleksei.refresh_from_db()
        assert self.aleksei.is_retired
        assert self.aleksei.posts.exists()  # the post stays, credited to the character

    def test_bringing_a_character_back_does_not_put_it_back_in_scenes(self):
        self.retire(self.lucia)
        self.retire(self.lucia, retired="0")
        self.lucia.refresh_from_db()
        assert not self.lucia.is_retired
        assert self.cast(self.open_scene) == [("Aleksei", 1), ("Odile", 2)]

    def test_retire_saves_only_its_own_field(self):
        stale = Character.objects.get(pk=self.odile.pk)
        Character.objects.filter(pk=self.odile.pk).update(tagline="a lighthouse keeper")
        stale.retire()
        fresh = Character.objects.get(pk=self.odile.pk)
        assert fresh.is_retired
        assert fresh.tagline == "a lighthouse keeper"
        stale.unretire()
        assert not Character.objects.get(pk=self.odile.pk).is_retired


class RemovingTests(CastTestCase):
    def test_removing_a_member_closes_the_gap_in_open_casts(self):
        self.client.force_login(self.mira)
        teo = self.story.memberships.get(user=self.teo)
        self.client.post(reverse("member_remove", args=[self.story.slug, teo.pk]))
        assert self.cast(self.open_scene) == [("Aleksei", 1), ("Odile", 2)]
        assert len(self.cast(self.closed_scene)) == 3
        assert turns.turn_state(self.open_scene).next_up.character == self.odile

    def test_a_removed_writer_with_two_characters_leaves_no_gaps(self):
        membership.leave_open_scenes(Participant.objects.filter(character__owner=self.mira))
        assert self.cast(self.open_scene) == [("Lucia", 1)]


class StateChangeTests(CastTestCase):
    def test_set_status_refuses_a_made_up_status_and_saves_only_the_status(self):
        stale = Story.objects.get(pk=self.story.pk)
        Story.objects.filter(pk=self.story.pk).update(title="Glass and Tide")
        with self.assertRaises(ValueError):
            stale.set_status("abandoned")
        stale.set_status(Story.Status.HIATUS)
        fresh = Story.objects.get(pk=self.story.pk)
        assert (fresh.status, fresh.title) == (Story.Status.HIATUS, "Glass and Tide")

    def test_set_open_saves_only_whether_the_scene_is_open(self):
        stale = Scene.objects.get(pk=self.open_scene.pk)
        Scene.objects.filter(pk=stale.pk).update(title="The long pier")
        stale.set_open(False)
        fresh = Scene.objects.get(pk=stale.pk)
        assert (fresh.is_open, fresh.title) == (False, "The long pier")


class InvitationDomainTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira", display_name="Mira")
        cls.ines = make_user("ines")
        cls.story = make_story(owner=cls.mira, title="Salt Flats")

    def invite(self):
        with self.captureOnCommitCallbacks(execute=True):
            return membership.invite(self.story, self.ines, Membership.Role.NARRATOR, self.mira)

    def test_invite_creates_an_invitation_and_emails_after_commit(self):
        invitation = self.invite()
        assert (invitation.status, invitation.role) == ("invited", "narrator")
        assert invitation.invited_by == self.mira
        assert [message.to for message in mail.outbox] == [["ines@example.test"]]

    def test_accept_then_decline_answers_once(self):
        invitation = self.invite()
        assert membership.accept(invitation)
        assert not membership.decline(invitation)
        assert invitation.status == Membership.Status.ACTIVE
        assert invitation.responded_at is not None

    def test_remove_withdraws_an_invitation_that_then_cannot_be_accepted(self):
        invitation = self.invite()
        membership.remove(invitation)
        assert not membership.accept(Membership.objects.get(pk=invitation.pk))
        assert self.story.memberships.get(user=self.ines).status == Membership.Status.REMOVED

    def test_a_removed_writer_is_invited_again_on_the_same_row(self):
        first = self.invite()
        membership.remove(first)
        again = self.invite()
        assert again.pk == first.pk
        assert again.status == Membership.Status.INVITED
        assert again.responded_at is None
