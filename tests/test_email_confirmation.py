"""Accounts under hostile eyes: sign-up answers the same whether or not an address has an
account here (the rest is said by e-mail, to the address); a new account confirms its
address by a signed, expiring link before it posts, edits, reports or starts a story, and
the refusal keeps the text sent; a new address takes effect once confirmed. Reading needs
nothing."""

import re
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse

from tests.factories import PASSWORD, make_post, make_user
from threads.accounts import confirmation
from threads.models import Post, Report, Story, User

# E-mails go out after commit: without a test transaction around them, at once.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "lantern-moth-quietly-9"


def sign_up(client, username="ines", email="ines@example.test"):
    data = {"username": username, "email": email, "password1": NEW_PASSWORD}
    return client.post(reverse("signup"), {**data, "password2": NEW_PASSWORD}, follow=True)


def link_in(message):
    return re.search(r"http://\S+(/accounts/confirm/\S+/)", message.body).group(1)


@pytest.fixture
def newcomer(db):
    """Ines signed up and has not followed her link yet."""
    return make_user("ines", confirmed=False, email="ines@example.test")


# --- Sign-up says nothing about known addresses --------------------------------------------


def test_signing_up_makes_an_unconfirmed_account_and_sends_a_link(client):
    response = sign_up(client)
    assert response.redirect_chain == [(reverse("signup_sent"), 302)]
    assert "Look in your inbox" in response.content.decode()
    user = User.objects.get(username="ines")
    assert not user.email_confirmed
    assert not response.context["user"].is_authenticated
    assert [m.to for m in mail.outbox] == [["ines@example.test"]]
    assert "/accounts/confirm/" in mail.outbox[0].body


def test_a_known_address_gets_the_same_answer_and_an_e_mail_instead(client, owner):
    fresh = sign_up(client, "bo", "bo@example.test")
    mail.outbox.clear()
    known = sign_up(client, "impostor", owner.email.upper())
    assert known.redirect_chain == fresh.redirect_chain
    assert known.status_code == fresh.status_code == 200
    assert known.content == fresh.content
    assert "already uses" not in known.content.decode()
    assert not User.objects.filter(username="impostor").exists()
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Someone tried to create a new RP Archive account" in mail.outbox[0].body


def test_the_sign_up_form_never_says_an_address_is_taken(client, owner):
    response = client.post(
        reverse("signup"),
        {"username": "x", "email": owner.email, "password1": "a", "password2": "b"},
    )
    assert response.status_code == 400
    assert "already uses" not in response.content.decode()


# --- The link ------------------------------------------------------------------------------


def test_the_link_opens_a_page_and_its_button_confirms(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert not User.objects.get(username="ines").email_confirmed  # a GET changes nothing
    response = client.post(link)
    assert response.status_code == 302 and response.url == reverse("login")
    assert User.objects.get(username="ines").email_confirmed


def test_an_expired_link_is_refused_with_a_way_on(client, newcomer):
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        confirmation.send_confirmation(newcomer)
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


def test_a_forged_link_is_refused(client, newcomer):
    token = signing.dumps(
        {"user": newcomer.pk, "email": newcomer.email, "was": newcomer.email}, salt="other"
    )
    response = client.post(reverse("confirm_email", args=[token]))
    assert response.status_code == 400
    assert "not a valid confirmation link" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


def test_a_link_for_an_address_the_account_left_no_longer_works(client, newcomer):
    confirmation.send_confirmation(newcomer)
    User.objects.filter(pk=newcomer.pk).update(email="ines.new@example.test")
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.email_confirmed


# --- Unconfirmed accounts read, and write nothing ------------------------------------------


def test_an_unconfirmed_writer_reads_the_scene(client, cast):
    User.objects.filter(pk=cast.mira.pk).update(email_confirmed_at=None)
    client.force_login(cast.mira)
    assert client.get(cast.scene.get_absolute_url()).status_code == 200


def test_an_unconfirmed_writers_post_is_refused_with_the_text_kept(client, cast):
    User.objects.filter(pk=cast.mira.pk).update(email_confirmed_at=None)
    client.force_login(cast.mira)
    body = "Aleksei wrote the letter twice and burned the first."
    url = reverse("post_submit", args=[cast.story.slug, cast.chapter.number, cast.scene.position])
    response = client.post(url, {"post_as": f"character-{cast.aleksei.pk}", "body": body})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Confirm your e-mail address first" in page
    assert body in page
    assert "Send the link again" in page
    assert not Post.objects.exists()


def test_an_unconfirmed_reader_cannot_report_and_keeps_the_note(client, cast, newcomer):
    post = make_post(cast.scene, character=cast.aleksei)
    client.force_login(newcomer)
    note = "This repeats the same advert three times."
    response = client.post(reverse("report_post", args=[post.pk]), {"reason": "spam", "note": note})
    assert response.status_code == 403
    assert note in response.content.decode()
    assert not Report.objects.exists()


def test_an_unconfirmed_writer_cannot_start_a_story(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("story_create"), {"title": "The Salt Road"})
    assert response.status_code == 403
    assert "The Salt Road" in response.content.decode()
    assert not Story.objects.exists()


def test_the_confirmation_page_sends_the_link_again_once_a_minute(client, newcomer):
    client.force_login(newcomer)
    assert "Send the link again" in client.get(reverse("email_confirmation")).content.decode()
    first = client.post(reverse("email_confirmation_resend"))
    again = client.post(reverse("email_confirmation_resend"))
    assert len(mail.outbox) == 1
    assert "A new link is on its way" in str(list(get_messages(first.wsgi_request))[0])
    assert "less than a minute ago" in str(list(get_messages(again.wsgi_request))[-1])


def test_once_confirmed_the_writer_posts(client, cast):
    User.objects.filter(pk=cast.mira.pk).update(email_confirmed_at=None)
    client.force_login(cast.mira)
    client.post(reverse("email_confirmation_resend"))
    client.post(link_in(mail.outbox[0]))
    url = reverse("post_submit", args=[cast.story.slug, cast.chapter.number, cast.scene.position])
    response = client.post(url, {"post_as": f"character-{cast.aleksei.pk}", "body": "At last."})
    assert response.status_code == 302
    assert Post.objects.count() == 1


# --- Changing the address -----------------------------------------------------------------


def change_email(client, email):
    data = {"display_name": "", "pronouns": "", "email": email, "bio": "Kept."}
    return client.post(reverse("profile_edit"), {**data, "current_password": PASSWORD})


def test_a_new_address_takes_effect_only_once_confirmed(client, owner):
    client.force_login(owner)
    response = change_email(client, "mira.sol@example.test")
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "mira@example.test"
    assert [m.to for m in mail.outbox] == [["mira.sol@example.test"]]
    client.post(link_in(mail.outbox[0]))
    owner.refresh_from_db()
    assert owner.email == "mira.sol@example.test"
    assert owner.email_confirmed


def test_changing_to_a_known_address_answers_the_same_and_changes_nothing(client, owner, cowriter):
    client.force_login(owner)
    fresh = change_email(client, "mira.sol@example.test")
    fresh_said = [str(m) for m in get_messages(fresh.wsgi_request)]
    mail.outbox.clear()
    known = change_email(client, cowriter.email)
    known_said = [str(m) for m in get_messages(known.wsgi_request)]
    assert known.status_code == fresh.status_code == 302
    # The newest message of each (the first is still waiting to be shown).
    assert known_said[-1].replace(cowriter.email, "X") == fresh_said[-1].replace(
        "mira.sol@example.test", "X"
    )
    owner.refresh_from_db()
    assert owner.email == "mira@example.test"
    assert [m.to for m in mail.outbox] == [[cowriter.email]]
    assert "/accounts/confirm/" not in mail.outbox[0].body
