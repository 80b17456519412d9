"""The shape of a story (threads.writing.structure): stories with their owner, chapters and
scenes numbered, placed and moved, and a scene's cast."""

import pytest
from django.db import IntegrityError

from tests.factories import make_character
from threads.models import Chapter, Membership, Scene, Story
from threads.writing import structure
from threads.writing.structure import DOWN, UP


@pytest.fixture
def chapters(story):
    """Four chapters, One to Four, numbered 1 to 4."""
    return [structure.add_chapter(story, title=title) for title in ("One", "Two", "Three", "Four")]


@pytest.fixture
def scenes(story):
    """Three scenes, Dock, Deck and Hold, at places 1 to 3 of one chapter."""
    chapter = structure.add_chapter(story, title="At sea")
    return [structure.add_scene(chapter, title=title) for title in ("Dock", "Deck", "Hold")]


def chapter_order(story):
    return list(story.chapters.order_by("number").values_list("title", "number"))


def scene_order(chapter):
    return list(chapter.scenes.order_by("position").values_list("title", "position"))


def cast_of(scene):
    return list(scene.participants.order_by("position").values_list("character__name", "position"))


# --- Stories -----------------------------------------------------------------------------


def test_creating_a_story_makes_exactly_one_owner_membership(owner):
    story = structure.create_story(owner, title="Salt Roads", tags=["sea", "slow burn"])
    membership = Membership.objects.get(story=story)
    assert (membership.user, membership.role) == (owner, Membership.Role.OWNER)
    assert membership.is_active
    assert membership.responded_at is not None
    assert sorted(story.tags.names()) == ["sea", "slow burn"]


def test_a_story_whose_owner_cannot_join_is_not_left_without_one(db):
    with pytest.raises(IntegrityError):
        structure.create_story(None, title="Salt Roads")
    assert not Story.objects.exists()


# --- Numbering ---------------------------------------------------------------------------


def test_chapters_take_the_next_number(story):
    assert structure.next_chapter_number(story) == 1
    first = structure.add_chapter(story, title="One")
    second = structure.add_chapter(story, title="Two")
    assert (first.number, second.number) == (1, 2)
    assert structure.next_chapter_number(story) == 3


def test_scenes_take_the_next_position_in_their_own_chapter(story):
    first, second = structure.add_chapter(story, title="A"), structure.add_chapter(story, title="B")
    positions = [structure.add_scene(first, title=t).position for t in ("Dock", "Deck")]
    assert positions == [1, 2]
    assert structure.add_scene(second, title="Hold").position == 1
    assert structure.next_scene_position(first) == 3


def test_a_chapter_added_at_a_taken_number_moves_the_later_ones_along(story, chapters):
    structure.add_chapter(story, title="Interlude", number=2)
    assert chapter_order(story) == [
        ("One", 1),
        ("Interlude", 2),
        ("Two", 3),
        ("Three", 4),
        ("Four", 5),
    ]


def test_a_number_past_the_end_means_the_end(story, chapters):
    assert structure.add_chapter(story, title="Epilogue", number=40).number == 5


def test_editing_a_chapter_places_it_and_moves_the_ones_between(story, chapters):
    structure.edit_chapter(chapters[3], number=2, title="Four, renamed")
    expected = [("One", 1), ("Four, renamed", 2), ("Two", 3), ("Three", 4)]
    assert chapter_order(story) == expected


def test_editing_a_chapter_keeps_the_counts_that_posting_changed_meanwhile(story, chapters):
    stale = chapters[0]
    Chapter.objects.filter(pk=stale.pk).update(word_count=42)
    saved = structure.edit_chapter(stale, title="First light")
    stale.refresh_from_db()
    assert (stale.title, stale.word_count) == ("First light", 42)
    assert saved.word_count == 42


# --- Moving ------------------------------------------------------------------------------


def test_moving_a_chapter_swaps_it_with_its_neighbour(story, chapters):
    assert structure.move_chapter(chapters[2], UP)
    assert chapter_order(story) == [("One", 1), ("Three", 2), ("Two", 3), ("Four", 4)]
    assert structure.move_chapter(chapters[0], DOWN)
    assert chapter_order(story) == [("Three", 1), ("One", 2), ("Two", 3), ("Four", 4)]


def test_moving_starts_from_where_the_chapter_is_now_not_where_it_was_read(story, chapters):
    three = chapters[2]  # read at number 3
    structure.move_chapter(chapters[1], DOWN)  # Three is now 2 in the database
    structure.move_chapter(three, UP)
    assert chapter_order(story) == [("Three", 1), ("One", 2), ("Two", 3), ("Four", 4)]


def test_moving_a_scene_swaps_it_with_its_neighbour(scenes):
    chapter = scenes[0].chapter
    assert structure.move_scene(scenes[2], UP)
    assert scene_order(chapter) == [("Dock", 1), ("Hold", 2), ("Deck", 3)]


@pytest.mark.parametrize(("index", "direction"), [(0, UP), (3, DOWN), (1, "sideways")])
def test_a_chapter_with_nowhere_to_go_stays_where_it_is(story, chapters, index, direction):
    before = chapter_order(story)
    assert not structure.move_chapter(chapters[index], direction)
    assert chapter_order(story) == before


@pytest.mark.parametrize(("index", "direction"), [(0, UP), (2, DOWN), (1, None)])
def test_a_scene_with_nowhere_to_go_stays_where_it_is(scenes, index, direction):
    before = scene_order(scenes[0].chapter)
    assert not structure.move_scene(scenes[index], direction)
    assert scene_order(scenes[0].chapter) == before


# --- Cast --------------------------------------------------------------------------------


def test_a_scene_is_added_with_its_cast_in_posting_order(
    story, owner_character, cowriter_character
):
    chapter = structure.add_chapter(story, title="One")
    scene = structure.add_scene(chapter, title="Dock", cast=[cowriter_character, owner_character])
    assert cast_of(scene) == [("Lucia Ferro", 1), ("Aleksei Varga", 2)]


def test_setting_a_cast_replaces_the_participants_in_order(
    scenes, owner_character, cowriter_character
):
    scene = scenes[0]
    structure.set_cast(scene, [owner_character, cowriter_character])
    newcomer = make_character(owner_character.owner, name="Tamsin")
    structure.set_cast(scene, [newcomer, owner_character])
    assert cast_of(scene) == [("Tamsin", 1), ("Aleksei Varga", 2)]


def test_a_cast_naming_someone_twice_is_refused_and_changes_nothing(
    scenes, owner_character, cowriter_character
):
    scene = scenes[0]
    structure.set_cast(scene, [owner_character, cowriter_character])
    with pytest.raises(IntegrityError):
        structure.set_cast(scene, [cowriter_character, cowriter_character])
    assert cast_of(scene) == [("Aleksei Varga", 1), ("Lucia Ferro", 2)]


def test_editing_a_scene_without_a_cast_keeps_its_cast(scenes, owner_character):
    structure.set_cast(scenes[1], [owner_character])
    structure.edit_scene(scenes[1], title="Upper deck", position=1)
    scene = Scene.objects.get(pk=scenes[1].pk)
    assert (scene.title, scene.position) == ("Upper deck", 1)
    assert cast_of(scene) == [("Aleksei Varga", 1)]
    assert scene_order(scene.chapter) == [("Upper deck", 1), ("Dock", 2), ("Hold", 3)]
