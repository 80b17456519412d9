"""A moderator's restore must not put two turns in a row."""

import pytest

from tests.factories import make_chapter, make_moderator, make_post, make_scene, make_story
from threads import moderation
from threads.models import Post, Scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(owner, cowriter, owner_character, cowriter_character):
    story = make_story(owner=owner, members=[cowriter])
    return make_scene(
        make_chapter(story),
        [owner_character, cowriter_character],
        turn_mode=Scene.TurnMode.ROUND_ROBIN,
    )


def test_a_rejected_turn_comes_back_while_nobody_has_answered(scene, owner_character):
    post = make_post(scene, character=owner_character, status=Post.Status.REJECTED)
    moderation.restore(post, make_moderator())
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED


def test_a_turn_posted_again_since_cannot_be_restored_into_the_middle(
    scene, owner_character, cowriter_character
):
    rejected = make_post(scene, character=owner_character, status=Post.Status.REJECTED)
    make_post(scene, character=owner_character, body="Posted again instead.")
    make_post(scene, character=cowriter_character, body="And answered.")
    with pytest.raises(moderation.ModerationError, match="taken again"):
        moderation.restore(rejected, make_moderator())
    rejected.refresh_from_db()
    assert rejected.status == Post.Status.REJECTED


def test_ooc_chatter_since_does_not_block_a_restore(scene, owner_character, cowriter):
    post = make_post(scene, character=owner_character, status=Post.Status.REJECTED)
    make_post(scene, author=cowriter, kind=Post.Kind.OUT_OF_CHARACTER, body="brb")
    moderation.restore(post, make_moderator())
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
