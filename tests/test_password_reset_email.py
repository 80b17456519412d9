from django.core import mail
from django.urls import reverse

from tests.factories import make_user


def test_the_reset_email_has_a_text_and_an_html_part_with_the_link(client, db):
    make_user("mira", email="mira@example.test")
    client.post(reverse("password_reset"), {"email": "mira@example.test"})
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/accounts/reset/" in message.body
    assert "/accounts/reset/" in html
