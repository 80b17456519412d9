"""Invitations, for a site whose settings.RP_REGISTRATION is "invite": an account needs a
code the site signed for its e-mail address (``manage.py make_invite ADDRESS``).

Nothing is stored. A code is good for one address and expires after RP_INVITE_DAYS; since
an address holds one account here and must be confirmed by following a link sent to it, a
code that leaks opens no account for anyone but the person it was made for.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "threads.invitations"


class InvitationError(Exception):
    """A code that does not admit this sign-up, with a message for the person signing up."""


def make(email):
    return signing.dumps({"email": email.strip().lower()}, salt=SALT)


def signup_url(code):
    return f"{settings.SITE_URL}{reverse('signup')}?invite={code}"


def check(code, email):
    """Return if ``code`` admits ``email``; else raise InvitationError."""
    days = settings.RP_INVITE_DAYS
    try:
        data = signing.loads(code.strip(), salt=SALT, max_age=days * 86400)
    except signing.SignatureExpired:
        raise InvitationError(
            f"This invitation has expired (they are good for {days} days). Ask for a new one."
        ) from None
    except signing.BadSignature:
        raise InvitationError(
            "This is not a valid invitation code. Copy the whole code from your invitation."
        ) from None
    if data.get("email") != email.strip().lower():
        raise InvitationError(
            "This invitation is for another e-mail address. Sign up with the address it was "
            "sent to."
        )
