"""Who waits for a moderator (threads.moderation.needs_review), through the posting and
editing pages: being staff is not being a moderator, and a moderator's own posts and edits
are approved at once, as the README says."""

import pytest
from django.urls import reverse

from tests.factories import make_chapter, make_character, make_post, make_scene, make_story
from threads.models import Post, Revision, Scene

BODY = "The lamp room smelled of salt and paraffin."


@pytest.fixture
def staff_writer(owner):
    """Mira, with the admin's staff flag but not in the Moderators group."""
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    return owner


def own_scene(user):
    """A free scene of ``user``'s own story, where they write their own character."""
    story = make_story(owner=user)
    character = make_character(user)
    scene = make_scene(make_chapter(story), [character], turn_mode=Scene.TurnMode.FREE)
    return scene, character


def post_from_the_scene_page(client, user):
    scene, character = own_scene(user)
    client.force_login(user)
    chapter = scene.chapter
    url = reverse("post_submit", args=[chapter.story.slug, chapter.number, scene.position])
    response = client.post(url, {"post_as": f"character-{character.pk}", "body": BODY})
    assert response.status_code == 302, response.content.decode()[:500]
    return Post.objects.get(scene=scene)


def edit_from_the_edit_page(client, user):
    scene, character = own_scene(user)
    post = make_post(scene, character=character, body=BODY)
    client.force_login(user)
    response = client.post(reverse("post_edit", args=[post.pk]), {"body": BODY + " Again."})
    assert response.status_code == 302, response.content.decode()[:500]
    return Revision.objects.filter(post=post).latest("number")


def test_staff_without_the_moderators_group_wait_for_review(client, staff_writer):
    post = post_from_the_scene_page(client, staff_writer)
    assert post.status == Post.Status.PENDING


def test_an_edit_by_staff_without_the_moderators_group_waits_for_review(client, staff_writer):
    revision = edit_from_the_edit_page(client, staff_writer)
    assert revision.status == Revision.Status.PENDING
    assert revision.post.body == BODY  # readers keep the approved text meanwhile


def test_a_moderators_own_post_is_approved_at_once(client, moderator):
    post = post_from_the_scene_page(client, moderator)
    assert post.status == Post.Status.APPROVED


def test_a_moderators_own_edit_is_approved_at_once(client, moderator):
    revision = edit_from_the_edit_page(client, moderator)
    assert revision.status == Revision.Status.APPROVED
    assert Post.objects.get(pk=revision.post_id).body == BODY + " Again."


def test_an_ordinary_writers_post_waits(client, owner):
    post = post_from_the_scene_page(client, owner)
    assert post.status == Post.Status.PENDING
