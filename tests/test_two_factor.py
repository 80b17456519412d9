"""Staff two-factor authentication (TOTP): turned on from the account pages with a QR code
drawn on the server, and, with RP_ADMIN_REQUIRE_2FA, required by the admin."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from threads.models import Post

pytestmark = pytest.mark.django_db


def current_code(device):
    """The code the staff member's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    return f"{(int(current_code(device)) + 1) % 10**device.digits:0{device.digits}d}"


@pytest.fixture
def device(moderator):
    return TOTPDevice.objects.create(user=moderator, name="Phone", confirmed=True)


@pytest.fixture
def required(settings):
    settings.RP_ADMIN_REQUIRE_2FA = True


def test_staff_set_up_two_factor_with_a_qr_code_drawn_on_the_page(client, moderator):
    client.force_login(moderator)
    page = client.get("/accounts/two-factor/").content.decode()
    assert '<svg class="qr"' in page and '<path d="M4 4h7v1h-7z' in page
    assert "otpauth://totp/" in page
    assert not re.search(r"<img[^>]+src=\"https?://", page), "no QR service, no image host"
    pending = TOTPDevice.objects.get(user=moderator, confirmed=False)

    client.post("/accounts/two-factor/", {"token": wrong_code(pending)})
    pending.refresh_from_db()
    assert not pending.confirmed
    pending.throttle_reset()

    response = client.post("/accounts/two-factor/", {"token": current_code(pending)})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.confirmed


def test_writers_who_are_not_staff_are_not_offered_two_factor(client, owner):
    client.force_login(owner)
    assert client.get("/accounts/two-factor/").status_code == 403
    assert not TOTPDevice.objects.exists()
    assert "Two-factor" not in client.get("/accounts/profile/").content.decode()


def test_without_the_setting_staff_use_the_admin_with_a_password_alone(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_staff_without_a_device_are_kept_out_of_the_admin(
    client, moderator, required, cast
):
    post = cast.scene.posts.create(
        number=1, author=cast.teo, character=cast.lucia, body="Held.", status="pending"
    )
    client.force_login(moderator)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"
    assert client.get("/admin/threads/post/").status_code == 302
    client.post(f"/admin/threads/post/{post.pk}/change/", {"decision": "approve"})
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING


def test_with_the_setting_a_wrong_code_keeps_staff_out(client, moderator, device, required):
    client.force_login(moderator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response.url)["Location"].startswith("/accounts/two-factor/verify/")
    response = client.post(
        "/accounts/two-factor/verify/", {"token": wrong_code(device), "next": "/admin/"}
    )
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_with_the_setting_a_valid_code_lets_staff_into_the_admin(
    client, moderator, device, required
):
    client.force_login(moderator)
    response = client.post(
        "/accounts/two-factor/verify/", {"token": current_code(device), "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_verify_does_not_send_staff_to_another_site(client, moderator, device, required):
    client.force_login(moderator)
    response = client.post(
        "/accounts/two-factor/verify/",
        {"token": current_code(device), "next": "https://evil.example/admin/"},
    )
    assert response["Location"] == "/admin/"


def test_turning_two_factor_off_takes_a_current_code(client, moderator, device):
    client.force_login(moderator)
    client.post("/accounts/two-factor/off/", {"token": wrong_code(device)})
    assert TOTPDevice.objects.filter(user=moderator).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a failure makes the next try wait a second, then two, ...
    client.post("/accounts/two-factor/off/", {"token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=moderator).exists()
