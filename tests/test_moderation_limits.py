"""Moderation that holds: suspension takes every moderation power away at once, nobody
decides on their own account (nor, unless superuser, on their own post), a moderator does
not decide on a superuser, and every reason goes through one validated form. Each refusal
through the real admin views: the status, the message, and nothing changed."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import make_moderator, make_pending_post, make_post, make_user
from threads import moderation
from threads.forms.moderation import REASON_MAX_LENGTH, DecisionForm, ReasonForm
from threads.models import ModerationAction, Post, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(cast):
    return make_pending_post(cast.scene, character=cast.aleksei, body="Aleksei waits.")


@pytest.fixture
def suspended_moderator(moderator):
    moderator.suspend("Deciding on friends' posts.")
    return moderator


@pytest.fixture
def admin_user(db):
    return make_user("root", is_staff=True, is_superuser=True)


def decide_post(client, post, decision, reason="", **extra):
    url = reverse("admin:threads_post_decide", args=[post.pk])
    return client.post(url, {"decision": decision, "reason": reason, **extra})


def decide_user(client, user, decision, reason=""):
    url = reverse("admin:threads_user_decide", args=[user.pk])
    return client.post(url, {"decision": decision, "reason": reason})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def nothing_decided():
    return not ModerationAction.objects.exists()


# --- Suspension takes every power at once -------------------------------------------------


def test_a_suspended_moderator_cannot_approve_in_the_admin(client, suspended_moderator, pending):
    client.force_login(suspended_moderator)
    response = decide_post(client, pending, "approve")
    assert response.status_code == 403
    assert "Your account is suspended" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Post.Status.PENDING
    assert nothing_decided()


def test_a_suspended_moderator_sees_no_queue_and_no_bulk_action(
    client, suspended_moderator, pending
):
    client.force_login(suspended_moderator)
    queue = reverse("admin:threads_pendingpost_changelist")
    assert client.get(queue).status_code == 403
    response = client.post(queue, {"action": "approve_selected", "_selected_action": [pending.pk]})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Post.Status.PENDING
    assert nothing_decided()


def test_a_suspended_moderator_cannot_lift_their_own_suspension(client, suspended_moderator):
    client.force_login(suspended_moderator)
    response = decide_user(client, suspended_moderator, "unsuspend")
    assert response.status_code == 403
    suspended_moderator.refresh_from_db()
    assert suspended_moderator.is_suspended
    assert nothing_decided()


def test_a_suspended_moderator_cannot_suspend_others(client, suspended_moderator, stranger):
    client.force_login(suspended_moderator)
    response = decide_user(client, stranger, "suspend", "Spam.")
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert not stranger.is_suspended
    assert nothing_decided()


@pytest.mark.parametrize(
    "decide",
    [
        lambda post, moderator: moderation.approve(post, moderator),
        lambda post, moderator: moderation.reject(post, moderator, "No."),
        lambda post, moderator: moderation.remove(post, moderator, "Spam."),
        lambda post, moderator: moderation.resolve_reports(post, moderator, "dismiss"),
        lambda post, moderator: moderation.set_trusted(post.author, moderator, True),
        lambda post, moderator: moderation.suspend(post.author, moderator, "Spam."),
    ],
)
def test_a_suspended_moderator_is_refused_by_the_domain_too(suspended_moderator, pending, decide):
    with pytest.raises(PermissionDenied, match="Your account is suspended"):
        decide(pending, suspended_moderator)
    pending.refresh_from_db()
    assert pending.status == Post.Status.PENDING
    assert not pending.author.is_trusted
    assert nothing_decided()


def test_a_suspended_superuser_has_no_permission_left(admin_user):
    admin_user.suspend("Locked while we look into it.")
    assert not admin_user.has_perm("threads.moderate_user")
    assert not admin_user.has_module_perms("threads")


# --- Nobody decides on their own account --------------------------------------------------


@pytest.mark.parametrize("decision", ["trust", "suspend"])
def test_a_moderator_cannot_decide_on_their_own_account(client, moderator, decision):
    client.force_login(moderator)
    response = decide_user(client, moderator, decision, "Testing.")
    assert response.status_code == 302
    assert any(f"cannot {decision} yourself" in m for m in messages_of(response))
    moderator.refresh_from_db()
    assert not moderator.is_trusted and not moderator.is_suspended
    assert nothing_decided()


@pytest.mark.parametrize(
    ("decide", "verb"),
    [
        (lambda user: moderation.set_trusted(user, user, True), "trust"),
        (lambda user: moderation.suspend(user, user, "A break."), "suspend"),
    ],
)
def test_a_superuser_cannot_decide_on_their_own_account_either(admin_user, decide, verb):
    with pytest.raises(moderation.ModerationError, match=f"cannot {verb} yourself"):
        decide(admin_user)
    admin_user.refresh_from_db()
    assert not admin_user.is_trusted and not admin_user.is_suspended
    assert nothing_decided()


def test_a_moderator_cannot_suspend_a_superuser(client, moderator, admin_user):
    client.force_login(moderator)
    response = decide_user(client, admin_user, "suspend", "Overreach.")
    assert any("another administrator decides" in m for m in messages_of(response))
    admin_user.refresh_from_db()
    assert not admin_user.is_suspended
    assert nothing_decided()


def test_a_superuser_may_suspend_a_moderator(client, admin_user, moderator):
    client.force_login(admin_user)
    decide_user(client, moderator, "suspend", "Deciding on friends' posts.")
    moderator.refresh_from_db()
    assert moderator.is_suspended


def test_the_writer_page_says_why_there_are_no_buttons(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("admin:threads_user_change", args=[moderator.pk]))
    assert "It is your own account, so another moderator decides on it." in page.content.decode()
    assert 'name="decision" value="trust"' not in page.content.decode()


# --- Nor on their own post, unless superuser ----------------------------------------------


def test_a_moderator_cannot_approve_their_own_post(client, cast, moderator):
    own = make_pending_post(cast.scene, author=moderator, body="My own words.")
    client.force_login(moderator)
    response = decide_post(client, own, "approve")
    assert response.status_code == 302
    assert any("it is your own post" in m for m in messages_of(response))
    own.refresh_from_db()
    assert own.status == Post.Status.PENDING
    assert nothing_decided()


def test_a_moderator_cannot_dismiss_reports_on_their_own_post(client, cast, moderator):
    own = make_post(cast.scene, author=moderator, body="Reported words.")
    Report.objects.create(post=own, reporter=cast.teo, reason=Report.Reason.SPAM)
    client.force_login(moderator)
    url = reverse("admin:threads_reportedpost_resolve", args=[own.pk])
    response = client.post(url, {"outcome": "dismiss"})
    assert any("it is your own post" in m for m in messages_of(response))
    assert own.reports.get().resolution == Report.Resolution.OPEN
    assert nothing_decided()


def test_the_review_page_of_ones_own_post_offers_no_decision(client, cast, moderator):
    own = make_pending_post(cast.scene, author=moderator, body="My own words.")
    client.force_login(moderator)
    page = client.get(reverse("admin:threads_post_change", args=[own.pk])).content.decode()
    assert "It is your own post, so another moderator decides on it." in page
    assert 'value="approve"' not in page


def test_a_superuser_may_decide_on_their_own_post(cast, admin_user):
    own = make_pending_post(cast.scene, author=admin_user, body="The administrator's note.")
    moderation.approve(own, admin_user)
    own.refresh_from_db()
    assert own.status == Post.Status.APPROVED


def test_suspending_a_superuser_from_a_report_changes_nothing(client, cast, moderator, admin_user):
    post = make_post(cast.scene, author=admin_user, body="An administrator's post.")
    Report.objects.create(post=post, reporter=cast.teo, reason=Report.Reason.SPAM)
    client.force_login(moderator)
    url = reverse("admin:threads_reportedpost_resolve", args=[post.pk])
    response = client.post(url, {"outcome": "suspend", "reason": "Overreach."})
    assert any("another administrator decides" in m for m in messages_of(response))
    post.refresh_from_db()
    admin_user.refresh_from_db()
    assert post.status == Post.Status.APPROVED  # the hide was rolled back with it
    assert not admin_user.is_suspended
    assert post.reports.get().resolution == Report.Resolution.OPEN
    assert nothing_decided()


# --- Every reason through one form -------------------------------------------------------


def test_an_overlong_reason_comes_back_with_the_text_and_nothing_decided(
    client, moderator, pending
):
    client.force_login(moderator)
    reason = "Too long. " * (REASON_MAX_LENGTH // 10 + 1)
    response = decide_post(client, pending, "reject", reason)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Keep the reason to {REASON_MAX_LENGTH} characters" in page
    assert reason.strip() in page
    assert 'name="decision" value="reject"' in page
    pending.refresh_from_db()
    assert pending.status == Post.Status.PENDING
    assert nothing_decided()


def test_a_reason_with_a_nul_character_is_refused_and_nothing_decided(client, moderator, pending):
    client.force_login(moderator)
    response = decide_post(client, pending, "reject", "Bad\x00reason")
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == Post.Status.PENDING
    assert pending.moderation_reason == ""
    assert nothing_decided()


def test_a_decision_the_page_does_not_offer_is_a_bad_request(client, moderator, pending):
    client.force_login(moderator)
    response = decide_post(client, pending, "publish")
    assert response.status_code == 400
    assert nothing_decided()


@pytest.mark.parametrize("form_class", [ReasonForm, DecisionForm])
@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("Bad\x00reason", "NUL character"),
        ("x" * (REASON_MAX_LENGTH + 1), "Keep the reason to"),
    ],
)
def test_the_reason_forms_refuse_what_cannot_be_kept(form_class, reason, error):
    if form_class is DecisionForm:
        form = DecisionForm({"decision": "reject", "reason": reason}, ["approve", "reject"])
    else:
        form = ReasonForm({"reason": reason})
    assert not form.is_valid()
    assert error in str(form.errors["reason"])


def test_the_single_decision_reason_is_stripped_and_recorded(client, moderator, pending):
    client.force_login(moderator)
    decide_post(client, pending, "reject", "  Say who speaks.  \n")
    pending.refresh_from_db()
    assert pending.moderation_reason == "Say who speaks."


def test_another_moderator_still_decides_on_the_moderators_post(client, cast, moderator):
    own = make_pending_post(cast.scene, author=moderator, body="My own words.")
    other = make_moderator("wren")
    client.force_login(other)
    decide_post(client, own, "approve")
    own.refresh_from_db()
    assert own.status == Post.Status.APPROVED
