"""Who may decide what, through the admin's real URLs: a moderator, a staff member without
the Moderators group, a superuser, a writer and an anonymous visitor, each against approve,
reject, resolve, trust and suspend. Refused requests change nothing."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import make_cast, make_moderator, make_pending_post, make_post, make_user
from threads.models import ModerationAction, Post, Report, User

ALLOWED, FORBIDDEN, TO_LOGIN = "allowed", "forbidden", "login"

ACTORS = {
    "moderator": ALLOWED,
    "superuser": ALLOWED,
    "staff_without_group": FORBIDDEN,
    "writer": TO_LOGIN,
    "anonymous": TO_LOGIN,
}


@pytest.fixture
def world(db):
    cast = make_cast(solo=True)
    approved = make_post(cast.scene, character=cast.aleksei)
    pending = make_pending_post(cast.scene, cast.aleksei)
    Report.objects.create(post=approved, reporter=make_user("ana"), reason="spam")
    return {
        "writer": cast.mira,
        "approved": approved,
        "pending": pending,
        "moderator": make_moderator("moss"),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "staff_without_group": make_user("clerk", is_staff=True),
    }


def sign_in(client, world, actor):
    if actor != "anonymous":
        client.force_login(world[actor])


def approve(client, world):
    queue = reverse("admin:threads_pendingpost_changelist")
    data = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [world["pending"].pk]}
    response = client.post(queue, data)
    done = Post.objects.get(pk=world["pending"].pk).status == Post.Status.APPROVED
    return response, done


def reject(client, world):
    url = reverse("admin:threads_post_decide", args=[world["pending"].pk])
    response = client.post(url, {"decision": "reject", "reason": "Off topic."})
    done = Post.objects.get(pk=world["pending"].pk).status == Post.Status.REJECTED
    return response, done


def resolve(client, world):
    url = reverse("admin:threads_reportedpost_resolve", args=[world["approved"].pk])
    response = client.post(url, {"outcome": "dismiss"})
    return response, not Report.objects.filter(resolution="open").exists()


def trust(client, world):
    users = reverse("admin:threads_user_changelist")
    data = {"action": "trust", ACTION_CHECKBOX_NAME: [world["writer"].pk]}
    response = client.post(users, data)
    return response, User.objects.get(pk=world["writer"].pk).is_trusted


def suspend(client, world):
    url = reverse("admin:threads_user_decide", args=[world["writer"].pk])
    response = client.post(url, {"decision": "suspend", "reason": "Spam."})
    return response, User.objects.get(pk=world["writer"].pk).is_suspended


DECISIONS = {
    "approve": approve,
    "reject": reject,
    "resolve": resolve,
    "trust": trust,
    "suspend": suspend,
}


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(client, world, actor, decision):
    sign_in(client, world, actor)
    response, done = DECISIONS[decision](client, world)
    expected = ACTORS[actor]
    if expected == ALLOWED:
        assert response.status_code == 302
        assert done, f"{actor} should be able to {decision}"
        assert ModerationAction.objects.filter(moderator=world[actor]).exists()
        return
    assert not done, f"{actor} must not be able to {decision}"
    assert not ModerationAction.objects.exists()
    if expected == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_moderator_cannot_change_a_posts_text(client, world):
    client.force_login(world["moderator"])
    post = world["pending"]
    url = reverse("admin:threads_post_change", args=[post.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="body"' not in page.content  # shown, not editable
    response = client.post(url, {"body": "A moderator's words.", "status": "approved"})
    post.refresh_from_db()
    assert response.status_code == 403
    assert post.body != "A moderator's words."
    assert post.status == Post.Status.PENDING


def test_superuser_cannot_change_a_posts_text_either(client, world):
    client.force_login(world["superuser"])
    post = world["approved"]
    url = reverse("admin:threads_post_change", args=[post.pk])
    client.post(url, {"body": "Rewritten by an admin."})
    post.refresh_from_db()
    assert post.body != "Rewritten by an admin."


def test_moderator_cannot_edit_a_writers_account_but_can_trust_them(client, world):
    client.force_login(world["moderator"])
    url = reverse("admin:threads_user_change", args=[world["writer"].pk])
    page = client.get(url)
    assert b'name="email"' not in page.content
    assert b'value="trust"' in page.content


def test_staff_without_the_group_sees_no_moderation_queue(client, world):
    client.force_login(world["staff_without_group"])
    assert client.get(reverse("admin:threads_pendingpost_changelist")).status_code == 403
    index = client.get(reverse("admin:index"))
    assert b"awaiting approval" not in index.content


def test_a_decision_link_followed_with_get_changes_nothing(client, world):
    client.force_login(world["moderator"])
    url = reverse("admin:threads_post_decide", args=[world["pending"].pk])
    assert client.get(url, {"decision": "approve"}).status_code == 405
    assert Post.objects.get(pk=world["pending"].pk).status == Post.Status.PENDING


def test_an_unknown_decision_is_a_bad_request(client, world):
    client.force_login(world["moderator"])
    url = reverse("admin:threads_post_decide", args=[world["pending"].pk])
    assert client.post(url, {"decision": "publish"}).status_code == 400
