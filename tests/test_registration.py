"""Who may create an account: the honeypot, and RP_REGISTRATION open, closed or invite
(codes from ``manage.py make_invite``, signed for one address)."""

import re
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.urls import reverse

from threads.accounts import invitations

User = get_user_model()


def signup_data(**extra):
    return {
        "username": "newcomer",
        "email": "newcomer@example.test",
        "password1": "a long tidal phrase 42",
        "password2": "a long tidal phrase 42",
        **extra,
    }


# --- The honeypot ---------------------------------------------------------------------------


def test_the_honeypot_is_out_of_sight_and_of_the_tab_order(client, db):
    page = client.get(reverse("signup")).content.decode()
    trap = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S)
    assert trap, "the honeypot has no hidden, aria-hidden wrapper"
    assert "Leave this field empty" in trap.group(1)
    assert 'name="website"' in trap.group(1) and 'tabindex="-1"' in trap.group(1)


def test_a_filled_honeypot_is_answered_as_a_signup_and_creates_nothing(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("signup_sent")
    assert not User.objects.filter(username="newcomer").exists()
    assert mail.outbox == []


def test_an_empty_honeypot_signs_up(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_data(website=""))
    assert response["Location"] == reverse("signup_sent")
    assert User.objects.filter(username="newcomer").exists()
    assert len(mail.outbox) == 1


# --- Closed ---------------------------------------------------------------------------------


def test_closed_registration_shows_a_clear_page(client, db, settings):
    settings.RP_REGISTRATION = "closed"
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert "<h1>Sign-up is closed</h1>" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()


def test_closed_registration_creates_nothing(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.RP_REGISTRATION = "closed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 403
    assert not User.objects.exists()
    assert mail.outbox == []


# --- Invite-only ----------------------------------------------------------------------------


@pytest.fixture
def invite_only(settings):
    settings.RP_REGISTRATION = "invite"
    settings.RP_INVITE_DAYS = 14


def test_invite_only_asks_for_a_code(client, db, invite_only):
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 400
    assert "Invitation code" in response.content.decode()
    assert not User.objects.exists()


def test_open_registration_asks_for_no_code(client, db):
    assert "Invitation code" not in client.get(reverse("signup")).content.decode()


def test_a_code_for_the_address_signs_up(client, db, invite_only):
    code = invitations.make("Newcomer@Example.test")
    assert code in client.get(reverse("signup") + f"?invite={code}").content.decode()
    response = client.post(reverse("signup"), signup_data(invite=code))
    assert response["Location"] == reverse("signup_sent")
    assert User.objects.filter(username="newcomer").exists()


def test_a_code_for_another_address_is_refused(client, db, invite_only):
    code = invitations.make("someone.else@example.test")
    response = client.post(reverse("signup"), signup_data(invite=code))
    assert response.status_code == 400
    assert "This invitation is for another e-mail address" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("tamper", [lambda code: code[:-2] + "xx", lambda code: "made-up"])
def test_a_forged_code_is_refused(client, db, invite_only, tamper):
    code = tamper(invitations.make("newcomer@example.test"))
    response = client.post(reverse("signup"), signup_data(invite=code))
    assert "This is not a valid invitation code" in response.content.decode()
    assert not User.objects.exists()


def test_an_expired_code_is_refused(client, db, invite_only, monkeypatch):
    code = invitations.make("newcomer@example.test")
    later = time.time() + 15 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(reverse("signup"), signup_data(invite=code))
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.exists()


def test_a_code_signed_for_something_else_is_refused(client, db, invite_only):
    # Same key, other salt: a confirmation link's token is no invitation.
    code = signing.dumps({"email": "newcomer@example.test"}, salt="threads.accounts.confirm_email")
    client.post(reverse("signup"), signup_data(invite=code))
    assert not User.objects.exists()


def test_make_invite_prints_a_working_code_and_link(client, db, invite_only):
    out = StringIO()
    call_command("make_invite", "newcomer@example.test", stdout=out)
    code = re.search(r"code: (\S+)", out.getvalue()).group(1)
    assert f"/accounts/signup/?invite={code}" in out.getvalue()
    client.post(reverse("signup"), signup_data(invite=code))
    assert User.objects.filter(email="newcomer@example.test").exists()


def test_make_invite_refuses_what_is_not_an_address(db):
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("make_invite", "newcomer", stdout=StringIO())


# --- The settings -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "invite-only"])
def test_an_unknown_registration_mode_is_refused(value):
    result = _settings_with({"RP_REGISTRATION": value})
    assert "RP_REGISTRATION must be open, closed or invite" in result


@pytest.mark.parametrize("value", ["10", "ten/m", "0/m", "5/0m", "5/15x", "5/m/h"])
def test_a_rate_that_is_not_one_is_refused(value):
    assert "RP_RATE_POST must be a rate like 10/m" in _settings_with({"RP_RATE_POST": value})


def test_a_rate_from_the_environment_is_used():
    assert "60/10m" in _settings_with({"RP_RATE_POST": "60/10m"}, "RP_RATE_LIMITS['post']")


def _settings_with(env, expression="'loaded'"):
    """Load the settings in a fresh interpreter with ``env``: the error, or the value."""
    import os
    import subprocess
    import sys

    code = f"import rp_archive.settings as s; print(eval({expression!r}, vars(s)))"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr
