"""Drafts and sessions under hostile input: a post sent logged out is kept in the session
only for a scene anyone may know exists, a few per session and bounded in size; the
browser forgets a saved draft only when the server confirms this writer's own save, never
because a link says ?saved=."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from tests.factories import make_chapter, make_post, make_scene, make_story
from threads.models import Post, Story
from threads.views import posting

pytestmark = pytest.mark.django_db

BODY = "Aleksei counted the lanterns on the quay, twice."


def send_logged_out(client, slug, number, position, body=BODY):
    url = reverse("post_submit", args=[slug, number, position])
    return client.post(url, {"post_as": "narration", "body": body})


def kept_drafts(client):
    return dict(client.session.get(posting.DRAFTS_SESSION_KEY, {}))


def without_scene_numbers(response):
    return re.sub(r"(/|%2F)[17](/|%2F)scenes(/|%2F)[17]", "N", response.content.decode())


def scene_args(scene):
    return [scene.chapter.story.slug, scene.chapter.number, scene.position]


# --- What a logged-out post keeps --------------------------------------------------------


def test_a_made_up_scene_address_stores_nothing(client, db):
    response = send_logged_out(client, "no-such-story", 3, 9)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Log in to post" in page
    assert BODY in page  # the text comes back to copy
    assert kept_drafts(client) == {}
    assert "sessionid" not in response.cookies  # no session row was made for it


def test_a_members_only_scene_answers_as_a_made_up_one(client, cast):
    cast.story.visibility = Story.Visibility.MEMBERS
    cast.story.save(update_fields=["visibility"])
    real = send_logged_out(client, *scene_args(cast.scene))
    made_up = send_logged_out(client, cast.story.slug, 7, 7)
    assert real.status_code == made_up.status_code == 403
    # The same page, but for the address each was sent to (in the login links).
    assert without_scene_numbers(real) == without_scene_numbers(made_up)
    assert kept_drafts(client) == {}


def test_a_public_scene_keeps_the_text_for_after_logging_in(client, cast):
    response = send_logged_out(client, *scene_args(cast.scene))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert kept_drafts(client)[cast.scene.get_absolute_url()]["body"] == BODY


def test_an_unpublished_chapters_scene_keeps_nothing(client, cast):
    hidden = make_scene(make_chapter(cast.story, is_published=False))
    response = send_logged_out(client, *scene_args(hidden))
    assert response.status_code == 403
    assert kept_drafts(client) == {}


def test_a_session_keeps_only_the_newest_few_drafts(client, cast):
    scenes = [make_scene(cast.chapter) for _ in range(posting.DRAFTS_KEPT + 2)]
    for scene in scenes:
        send_logged_out(client, *scene_args(scene), body=f"Draft for {scene.position}.")
    kept = kept_drafts(client)
    assert len(kept) == posting.DRAFTS_KEPT
    assert list(kept) == [s.get_absolute_url() for s in scenes[-posting.DRAFTS_KEPT :]]


def test_a_kept_draft_is_bounded_in_size(client, cast, settings):
    settings.RP_MAX_POST_LENGTH = 100
    send_logged_out(client, *scene_args(cast.scene), body="x" * 50_000)
    assert len(kept_drafts(client)[cast.scene.get_absolute_url()]["body"]) == 2 * 100 + 1_000


# --- Which saved draft the browser forgets -----------------------------------------------


def saved_marker(page):
    return 'data-saved-draft="' in page.content.decode()


def draft_key(user, path):
    return f"draft:{user.pk}:{path}"


def test_after_posting_the_scene_page_names_the_writers_saved_draft(client, cast):
    client.force_login(cast.mira)
    response = client.post(
        reverse("post_submit", args=scene_args(cast.scene)),
        {"post_as": f"character-{cast.aleksei.pk}", "body": BODY},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    key = draft_key(cast.mira, cast.scene.get_absolute_url())
    assert f'data-saved-draft="{key}"' in page.content.decode()


def test_after_an_edit_the_scene_page_names_the_edit_forms_draft(client, cast):
    post = make_post(cast.scene, character=cast.aleksei, body="First words.")
    client.force_login(cast.mira)
    edit_url = reverse("post_edit", args=[post.pk])
    response = client.post(edit_url, {"body": "Second words."})
    page = client.get(response.url)
    assert f'data-saved-draft="{draft_key(cast.mira, edit_url)}"' in page.content.decode()


def test_a_link_with_a_plain_draft_key_clears_nothing(client, cast):
    client.force_login(cast.mira)
    key = draft_key(cast.mira, cast.scene.get_absolute_url())
    page = client.get(cast.scene.get_absolute_url(), {"saved": key})
    assert page.status_code == 200
    assert not saved_marker(page)


def test_a_token_signed_for_another_writer_clears_nothing(client, cast):
    # Teo saved a post and copied his address bar into a post: Mira follows the link.
    teo_token = signing.dumps(
        draft_key(cast.teo, cast.scene.get_absolute_url()), salt=posting.SAVED_SALT
    )
    client.force_login(cast.mira)
    page = client.get(cast.scene.get_absolute_url(), {"saved": teo_token})
    assert not saved_marker(page)


def test_an_old_token_clears_nothing(client, cast):
    key = draft_key(cast.mira, cast.scene.get_absolute_url())
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        old_token = signing.dumps(key, salt=posting.SAVED_SALT)
    client.force_login(cast.mira)
    page = client.get(cast.scene.get_absolute_url(), {"saved": old_token})
    assert not saved_marker(page)


def test_a_fresh_token_for_this_writer_is_honoured(client, cast):
    key = draft_key(cast.mira, cast.scene.get_absolute_url())
    client.force_login(cast.mira)
    page = client.get(
        cast.scene.get_absolute_url(), {"saved": signing.dumps(key, salt=posting.SAVED_SALT)}
    )
    assert f'data-saved-draft="{key}"' in page.content.decode()


def test_an_anonymous_reader_gets_no_marker_whatever_the_link(client, cast):
    key = draft_key(cast.mira, cast.scene.get_absolute_url())
    token = signing.dumps(key, salt=posting.SAVED_SALT)
    assert not saved_marker(client.get(cast.scene.get_absolute_url(), {"saved": token}))


def test_nothing_is_posted_by_a_refused_logged_out_post(client, cast):
    other = make_story(title="Another Road")
    scene = make_scene(make_chapter(other))
    send_logged_out(client, *scene_args(scene))
    send_logged_out(client, "no-such-story", 1, 1)
    assert not Post.objects.exists()
