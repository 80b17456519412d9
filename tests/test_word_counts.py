"""Cached word counts follow what readers can read, through the real posting and
moderation paths: submit, approve, edit, withdraw, hide and restore."""

import pytest

from tests.factories import make_chapter, make_moderator, make_scene, make_story
from threads import moderation
from threads.models import Chapter, Post, Scene, Story
from threads.writing import posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(owner, cowriter, owner_character, cowriter_character):
    story = make_story(owner=owner, members=[cowriter])
    return make_scene(
        make_chapter(story), [owner_character, cowriter_character], turn_mode=Scene.TurnMode.FREE
    )


def counts(scene):
    scene = Scene.objects.get(pk=scene.pk)
    chapter = Chapter.objects.get(pk=scene.chapter_id)
    return scene.word_count, chapter.word_count, Story.objects.get(pk=chapter.story_id).word_count


def test_words_count_once_a_moderator_approves(scene, owner, owner_character):
    post = posting.submit_post(scene, owner, Post.Kind.IN_CHARACTER, owner_character, "a b c")
    assert post.status == Post.Status.PENDING
    assert counts(scene) == (0, 0, 0)
    moderation.approve(post, make_moderator())
    assert counts(scene) == (3, 3, 3)


def test_ooc_notes_never_count(scene, owner):
    owner.is_trusted = True
    owner.save(update_fields=["is_trusted"])
    posting.submit_post(scene, owner, Post.Kind.OUT_OF_CHARACTER, None, "back on monday folks")
    posting.submit_post(scene, owner, Post.Kind.NARRATION, None, "The fog lifted.")
    assert counts(scene) == (3, 3, 3)


def test_edits_withdrawals_hides_and_restores_move_the_counts(scene, owner, owner_character):
    owner.is_trusted = True
    owner.save(update_fields=["is_trusted"])
    post = posting.submit_post(scene, owner, Post.Kind.IN_CHARACTER, owner_character, "a b c")
    assert counts(scene) == (3, 3, 3)
    posting.edit_post(post, owner, "a b c d e")
    assert counts(scene) == (5, 5, 5)
    moderator = make_moderator()
    moderation.hide(post, moderator, "Off topic")
    assert counts(scene) == (0, 0, 0)
    moderation.restore(Post.objects.get(pk=post.pk), moderator)
    assert counts(scene) == (5, 5, 5)
    posting.withdraw_post(Post.objects.get(pk=post.pk), owner)
    assert counts(scene) == (0, 0, 0)


def test_an_unpublished_chapter_keeps_its_words_out_of_the_story(scene, owner, owner_character):
    owner.is_trusted = True
    owner.save(update_fields=["is_trusted"])
    Chapter.objects.get(pk=scene.chapter_id).set_published(False)
    posting.submit_post(scene, owner, Post.Kind.IN_CHARACTER, owner_character, "one two")
    assert counts(scene) == (2, 2, 0)
    Chapter.objects.get(pk=scene.chapter_id).set_published(True)
    assert counts(scene) == (2, 2, 2)
