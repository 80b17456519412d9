"""The turn engine (threads/turns.py): whose turn it is in every mode, and who may post what."""

from django.utils import timezone

from tests.cases import CastTestCase
from tests.factories import make_character, make_narrator, make_post, make_scene, make_user
from threads.models import Membership, Post, Scene
from threads.writing import turns

IC = Post.Kind.IN_CHARACTER
NARRATION = Post.Kind.NARRATION
OOC = Post.Kind.OUT_OF_CHARACTER


def up_name(scene):
    up = turns.turn_state(scene).next_up
    return up.character.name if up else None


def refusal(scene, user, kind, character=None):
    state = turns.turn_state(scene)
    return turns.refusal(state, user, scene.chapter.story.membership_of(user), kind, character)


def skip(scene, by, character):
    return make_post(scene, author=by, character=character, kind=Post.Kind.SKIP, body="")


class RoundRobinTests(CastTestCase):
    def test_first_participant_is_up_in_a_new_scene(self):
        self.assertEqual(up_name(self.scene), "Aleksei")

    def test_turn_passes_to_the_next_participant_after_an_in_character_post(self):
        make_post(self.scene, character=self.aleksei)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_turn_comes_round_again_after_the_last_participant(self):
        make_post(self.scene, character=self.aleksei)
        make_post(self.scene, character=self.lucia)
        self.assertEqual(up_name(self.scene), "Aleksei")

    def test_post_awaiting_approval_takes_the_turn_so_the_next_writer_can_answer(self):
        make_post(self.scene, character=self.aleksei, status=Post.Status.PENDING)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_rejected_post_gives_the_turn_back(self):
        make_post(self.scene, character=self.aleksei)
        make_post(self.scene, character=self.lucia, status=Post.Status.REJECTED)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_withdrawn_post_gives_the_turn_back(self):
        make_post(self.scene, character=self.aleksei, status=Post.Status.WITHDRAWN)
        self.assertEqual(up_name(self.scene), "Aleksei")

    def test_ooc_and_narration_never_take_a_turn(self):
        make_post(self.scene, character=self.aleksei)
        make_post(self.scene, author=self.mira, kind=NARRATION)
        make_post(self.scene, author=self.teo, kind=OOC)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_skip_uses_up_the_skipped_characters_turn(self):
        skip(self.scene, self.mira, self.aleksei)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_three_participants_post_in_their_order(self):
        vera = make_character(self.teo, name="Vera")
        scene = make_scene(self.scene.chapter, characters=[self.lucia, self.aleksei, vera])
        seen = []
        for _ in range(4):
            up = turns.turn_state(scene).next_up
            seen.append(up.character.name)
            make_post(scene, character=up.character)
        self.assertEqual(seen, ["Lucia", "Aleksei", "Vera", "Lucia"])

    def test_order_starts_over_when_whoever_went_last_has_left_the_scene(self):
        vera = make_character(self.teo, name="Vera")
        make_post(self.scene, character=vera)  # an old post by a character no longer taking part
        self.assertEqual(up_name(self.scene), "Aleksei")

    def test_writer_who_is_up_may_post_in_character(self):
        self.assertIsNone(refusal(self.scene, self.mira, IC, self.aleksei))

    def test_writer_who_is_not_up_cannot_post_in_character(self):
        self.assertEqual(
            refusal(self.scene, self.teo, IC, self.lucia),
            "It is Aleksei's turn (written by Mira), not yours.",
        )

    def test_writer_with_two_characters_is_told_which_one_is_up(self):
        vera = make_character(self.teo, name="Vera")
        scene = make_scene(self.scene.chapter, characters=[self.lucia, vera])
        self.assertEqual(refusal(scene, self.teo, IC, vera), "It is Lucia's turn, not Vera's.")

    def test_cowriter_cannot_post_as_someone_elses_character(self):
        reason = refusal(self.scene, self.teo, IC, self.aleksei)
        self.assertIn("Aleksei is not your character", reason)

    def test_character_not_taking_part_cannot_post(self):
        vera = make_character(self.teo, name="Vera")
        self.assertEqual(
            refusal(self.scene, self.teo, IC, vera), "Vera is not taking part in this scene."
        )

    def test_retired_character_cannot_post(self):
        self.aleksei.retired_at = timezone.now()
        self.aleksei.save()
        self.assertEqual(
            refusal(self.scene, self.mira, IC, self.aleksei), "Aleksei is retired and cannot post."
        )

    def test_closed_scene_takes_no_posts_and_nobody_is_up(self):
        Scene.objects.filter(pk=self.scene.pk).update(is_open=False)
        self.scene.refresh_from_db()
        self.assertIsNone(turns.turn_state(self.scene).next_up)
        for kind, character in [(IC, self.aleksei), (OOC, None), (NARRATION, None)]:
            self.assertEqual(
                refusal(self.scene, self.mira, kind, character),
                "This scene is closed: it takes no new posts.",
            )

    def test_only_owners_and_narrators_may_post_narration(self):
        self.assertIsNone(refusal(self.scene, self.mira, NARRATION))
        self.assertEqual(
            refusal(self.scene, self.teo, NARRATION),
            "Only the story's owner and narrators can post narration.",
        )

    def test_any_member_may_post_out_of_character_whoever_is_up(self):
        self.assertIsNone(refusal(self.scene, self.teo, OOC))

    def test_stranger_cannot_post_anything(self):
        sasha = make_user("sasha")
        self.assertEqual(
            refusal(self.scene, sasha, OOC), "Only the story's writers can post in this scene."
        )

    def test_removed_member_cannot_post(self):
        Membership.objects.filter(user=self.teo).update(status=Membership.Status.REMOVED)
        make_post(self.scene, character=self.aleksei)
        self.assertIn("Only the story's writers", refusal(self.scene, self.teo, IC, self.lucia))

    def test_suspended_writer_is_refused_with_the_moderators_reason(self):
        self.mira.suspend("Posting other people's writing as your own.")
        reason = refusal(self.scene, self.mira, IC, self.aleksei)
        self.assertIn("Your account is suspended", reason)
        self.assertIn("Posting other people's writing as your own.", reason)

    def test_writers_up_is_the_writer_of_the_character_up(self):
        make_post(self.scene, character=self.aleksei)
        state = turns.turn_state(self.scene)
        self.assertEqual(turns.writers_up(state), [self.teo])
        self.assertTrue(turns.is_up(state, self.teo, self.story.membership_of(self.teo)))
        self.assertFalse(turns.is_up(state, self.mira, self.story.membership_of(self.mira)))

    def test_owner_may_skip_but_cowriter_may_not(self):
        state = turns.turn_state(self.scene)
        self.assertIsNone(turns.skip_refusal(state, self.mira, self.story.membership_of(self.mira)))
        self.assertEqual(
            turns.skip_refusal(state, self.teo, self.story.membership_of(self.teo)),
            "Only the story's owner and narrators can skip a turn.",
        )

    def test_nobody_posts_in_character_in_a_scene_without_participants(self):
        empty = make_scene(self.scene.chapter)
        self.assertIsNone(turns.turn_state(empty).next_up)
        self.assertIn("not taking part", refusal(empty, self.mira, IC, self.aleksei))


class FreeModeTests(CastTestCase):
    cast_options = {"turn_mode": Scene.TurnMode.FREE}

    def test_nobody_is_up_in_a_free_scene(self):
        make_post(self.scene, character=self.aleksei)
        state = turns.turn_state(self.scene)
        self.assertIsNone(state.next_up)
        self.assertFalse(state.narrator_up)
        self.assertEqual(turns.writers_up(state), [])

    def test_any_participant_may_post_again_and_again(self):
        make_post(self.scene, character=self.aleksei)
        make_post(self.scene, character=self.aleksei)
        self.assertIsNone(refusal(self.scene, self.mira, IC, self.aleksei))
        self.assertIsNone(refusal(self.scene, self.teo, IC, self.lucia))

    def test_only_participants_post_in_character_even_in_a_free_scene(self):
        vera = make_character(self.teo, name="Vera")
        self.assertIn("not taking part", refusal(self.scene, self.teo, IC, vera))

    def test_free_scenes_have_no_turn_to_skip(self):
        state = turns.turn_state(self.scene)
        self.assertEqual(
            turns.skip_refusal(state, self.mira, self.story.membership_of(self.mira)),
            "Free scenes have no turns to skip.",
        )


class NarratorLedTests(CastTestCase):
    """Nora narrates; Lucia (Teo) and Aleksei (Mira, the owner) are the players, in that
    order, in a narrator-led scene of their own."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nora = make_narrator(cls.story, display_name="Nora")
        cls.scene = make_scene(
            cls.chapter, characters=[cls.lucia, cls.aleksei], turn_mode=Scene.TurnMode.NARRATOR_LED
        )

    def narrate(self, status=Post.Status.APPROVED):
        return make_post(self.scene, author=self.nora, kind=NARRATION, status=status)

    def test_a_new_scene_waits_for_the_narrator(self):
        state = turns.turn_state(self.scene)
        self.assertTrue(state.narrator_up)
        self.assertIsNone(state.next_up)
        self.assertIn("The narrator is up", refusal(self.scene, self.teo, IC, self.lucia))

    def test_players_post_in_order_after_narration(self):
        self.narrate()
        self.assertEqual(up_name(self.scene), "Lucia")
        make_post(self.scene, character=self.lucia)
        self.assertEqual(up_name(self.scene), "Aleksei")

    def test_narrator_is_up_again_once_every_player_has_posted(self):
        self.narrate()
        make_post(self.scene, character=self.lucia)
        make_post(self.scene, character=self.aleksei)
        self.assertTrue(turns.turn_state(self.scene).narrator_up)
        self.assertIn("The narrator is up", refusal(self.scene, self.teo, IC, self.lucia))

    def test_next_round_carries_on_the_order_after_new_narration(self):
        self.narrate()
        make_post(self.scene, character=self.lucia)
        self.narrate()  # the narrator steps in before Aleksei has answered
        self.assertEqual(up_name(self.scene), "Aleksei")
        make_post(self.scene, character=self.aleksei)
        self.assertEqual(up_name(self.scene), "Lucia")
        make_post(self.scene, character=self.lucia)
        self.assertTrue(turns.turn_state(self.scene).narrator_up)

    def test_narrator_may_narrate_whoever_is_up(self):
        self.narrate()
        self.assertEqual(up_name(self.scene), "Lucia")
        self.assertIsNone(refusal(self.scene, self.nora, NARRATION))
        self.assertIsNone(refusal(self.scene, self.mira, NARRATION))  # the owner narrates too

    def test_cowriter_cannot_narrate(self):
        self.assertIn("owner and narrators", refusal(self.scene, self.teo, NARRATION))

    def test_skipped_player_counts_as_having_had_their_turn(self):
        self.narrate()
        skip(self.scene, self.nora, self.lucia)
        make_post(self.scene, character=self.aleksei)
        self.assertTrue(turns.turn_state(self.scene).narrator_up)

    def test_rejected_or_withdrawn_narration_does_not_open_a_round(self):
        self.narrate(status=Post.Status.REJECTED)
        self.narrate(status=Post.Status.WITHDRAWN)
        self.assertTrue(turns.turn_state(self.scene).narrator_up)

    def test_narration_awaiting_approval_opens_the_round(self):
        self.narrate(status=Post.Status.PENDING)
        self.assertEqual(up_name(self.scene), "Lucia")

    def test_when_the_narrator_is_up_the_narrators_and_owner_are_up(self):
        state = turns.turn_state(self.scene)
        self.assertCountEqual(turns.writers_up(state), [self.mira, self.nora])
        self.assertTrue(turns.is_up(state, self.nora, self.story.membership_of(self.nora)))
        self.assertFalse(turns.is_up(state, self.teo, self.story.membership_of(self.teo)))

    def test_no_player_turn_to_skip_while_the_narrator_is_up(self):
        state = turns.turn_state(self.scene)
        self.assertIn(
            "no player's turn to skip",
            turns.skip_refusal(state, self.nora, self.story.membership_of(self.nora)),
        )


class ManyScenesTests(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenes = []
        for mode in [Scene.TurnMode.ROUND_ROBIN, Scene.TurnMode.NARRATOR_LED] * 3:
            scene = make_scene(cls.chapter, characters=[cls.aleksei, cls.lucia], turn_mode=mode)
            make_post(scene, author=cls.mira, kind=NARRATION)
            make_post(scene, character=cls.aleksei)
            cls.scenes.append(scene)

    def test_many_scenes_are_read_in_a_fixed_number_of_queries(self):
        queryset = turns.annotate_turns(Scene.objects.filter(pk__in=[s.pk for s in self.scenes]))
        # The scenes, their participants, and posts since narration in narrator-led scenes.
        with self.assertNumQueries(3):
            states = turns.turn_states(queryset)
            names = {pk: state.next_up.character.name for pk, state in states.items()}
        self.assertEqual(set(names.values()), {"Lucia"})

    def test_bulk_states_agree_with_single_scene_states(self):
        states = turns.turn_states(
            turns.annotate_turns(Scene.objects.filter(pk__in=[s.pk for s in self.scenes]))
        )
        for scene in self.scenes:
            single = turns.turn_state(scene)
            self.assertEqual(states[scene.pk].next_up, single.next_up)
            self.assertEqual(states[scene.pk].waiting_since, single.waiting_since)
