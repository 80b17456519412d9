"""Accounts: signing up, logging in and out, passwords, the profile and e-mail preferences
(sign-up answers and e-mail confirmation: test_email_confirmation)."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from tests.factories import PASSWORD, make_user

User = get_user_model()
NEW_PASSWORD = "lantern-moth-quietly-9"


def signup_data(**overrides):
    data = {
        "username": "ines",
        "email": "ines@example.test",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return data | overrides


class SignupTests(TestCase):
    def test_mismatched_passwords_keep_the_name_and_address(self):
        response = self.client.post(reverse("signup"), signup_data(password2="something-else"))
        self.assertContains(response, "didn’t match", status_code=400)
        self.assertContains(response, 'value="ines"', status_code=400)
        self.assertContains(response, 'value="ines@example.test"', status_code=400)
        assert not User.objects.filter(username="ines").exists()

    def test_a_username_taken_in_another_case_is_refused(self):
        make_user("Ines")
        response = self.client.post(reverse("signup"), signup_data())
        self.assertContains(response, "already exists", status_code=400)
        assert User.objects.filter(username__iexact="ines").count() == 1

    def test_an_email_is_required(self):
        response = self.client.post(reverse("signup"), signup_data(email=""))
        self.assertContains(response, "This field is required", status_code=400)
        assert not User.objects.filter(username="ines").exists()

    def test_a_signed_in_writer_is_sent_home_from_signup(self):
        self.client.force_login(make_user("mira"))
        self.assertRedirects(
            self.client.get(reverse("signup")), reverse("home"), fetch_redirect_response=False
        )


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("mira")

    def test_login_page_offers_signup_and_password_reset(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, reverse("signup"))
        self.assertContains(response, reverse("password_reset"))

    def test_logging_in_and_out(self):
        response = self.client.post(
            reverse("login"), {"username": "mira", "password": PASSWORD, "next": "/write/"}
        )
        assert response.url == "/write/"
        self.client.post(reverse("logout"))
        response = self.client.get(reverse("my_stories"))
        assert response.url.startswith(reverse("login"))

    def test_a_wrong_password_says_so_and_keeps_the_username(self):
        response = self.client.post(reverse("login"), {"username": "mira", "password": "nope"})
        self.assertContains(response, "enter a correct username and password")
        self.assertContains(response, 'value="mira"')


class PasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("mira")

    def test_changing_the_password(self):
        self.client.force_login(self.user)
        response = self.client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, reverse("password_change_done"))
        self.user.refresh_from_db()
        assert self.user.check_password(NEW_PASSWORD)

    def test_resetting_a_forgotten_password_by_email(self):
        response = self.client.post(reverse("password_reset"), {"email": "mira@example.test"})
        self.assertRedirects(response, reverse("password_reset_done"))
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.subject == "Reset your RP Archive password"
        link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

        # The link leads to a form (Django first swaps the token into the session).
        response = self.client.get(link, follow=True)
        self.assertContains(response, "Choose a new password")
        response = self.client.post(
            response.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(response, reverse("password_reset_complete"))
        assert self.client.login(username="mira", password=NEW_PASSWORD)

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self):
        response = self.client.post(reverse("password_reset"), {"email": "who@example.test"})
        self.assertRedirects(response, reverse("password_reset_done"))
        assert mail.outbox == []

    def test_a_used_or_forged_reset_link_says_it_no_longer_works(self):
        url = reverse("password_reset_confirm", args=["MQ", "not-a-token"])
        self.assertContains(self.client.get(url), "This link no longer works")


class ProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("mira")

    def setUp(self):
        self.client.force_login(self.user)

    def test_profile_needs_a_login(self):
        self.client.logout()
        response = self.client.get(reverse("profile_edit"))
        assert response.url.startswith(reverse("login"))

    def test_editing_the_profile_shows_on_the_writer_page(self):
        response = self.client.post(
            reverse("profile_edit"),
            {
                "display_name": "Mira Sol",
                "pronouns": "she/her",
                "email": "mira@example.test",
                "bio": "I write *slow* stories.<script>alert(1)</script>",
            },
        )
        self.assertRedirects(response, reverse("profile_edit"))
        self.user.refresh_from_db()
        assert self.user.display_name == "Mira Sol"
        assert self.user.bio_html == "<p>I write <em>slow</em> stories.alert(1)</p>"
        page = self.client.get(self.user.get_absolute_url())
        self.assertContains(page, "she/her")
        self.assertNotContains(page, "<script>")

    def test_a_rejected_edit_does_not_show_in_the_header(self):
        response = self.client.post(
            reverse("profile_edit"),
            {"display_name": "Not Saved", "email": "not-an-address", "bio": ""},
        )
        self.assertContains(response, "Enter a valid email address", status_code=400)
        self.assertContains(response, ">mira</a>", status_code=400)

    def change_email(self, email, **extra):
        data = {"display_name": "Mira", "pronouns": "", "email": email, "bio": "Kept."}
        return self.client.post(reverse("profile_edit"), data | extra)

    def test_a_new_email_address_needs_the_current_password(self):
        response = self.change_email("thief@example.test")
        self.assertContains(
            response, "Enter your current password to change your e-mail address.", status_code=400
        )
        self.assertContains(response, "Kept.", status_code=400)
        self.user.refresh_from_db()
        assert self.user.email == "mira@example.test"
        assert self.user.display_name == ""

    def test_a_wrong_password_leaves_the_email_address_alone(self):
        response = self.change_email("thief@example.test", current_password="guess")
        self.assertContains(response, "That is not your current password", status_code=400)
        self.assertNotContains(response, 'value="guess"', status_code=400)
        self.user.refresh_from_db()
        assert self.user.email == "mira@example.test"

    def test_the_right_password_changes_the_email_address_once_confirmed(self):
        # The new address takes effect when its link is followed (test_email_confirmation).
        with self.captureOnCommitCallbacks(execute=True):
            response = self.change_email("mira.sol@example.test", current_password=PASSWORD)
        self.assertRedirects(response, reverse("profile_edit"))
        self.user.refresh_from_db()
        assert self.user.email == "mira@example.test"
        assert [message.to for message in mail.outbox] == [["mira.sol@example.test"]]
        link = re.search(r"http://\S+/accounts/confirm/\S+/", mail.outbox[0].body).group(0)
        self.client.post(link)
        self.user.refresh_from_db()
        assert self.user.email == "mira.sol@example.test"
        self.client.post(reverse("password_reset"), {"email": "mira.sol@example.test"})
        assert mail.outbox[-1].to == ["mira.sol@example.test"]

    def test_other_profile_changes_need_no_password(self):
        self.assertRedirects(self.change_email("mira@example.test"), reverse("profile_edit"))
        self.user.refresh_from_db()
        assert self.user.display_name == "Mira"

    def test_turning_off_invitation_emails(self):
        response = self.client.post(
            reverse("preferences"), {"notify_on_turn": "on", "notify_on_moderation": "on"}
        )
        self.assertRedirects(response, reverse("preferences"))
        self.user.refresh_from_db()
        assert self.user.notify_on_turn
        assert not self.user.notify_on_invitation
        assert self.user.notify_on_moderation
        page = self.client.get(reverse("preferences"))
        self.assertContains(page, 'name="notify_on_invitation" id="id_notify_on_invitation"')
