"""Accounts: signing up without telling anyone which addresses have an account here, and
confirming an address by a signed link before the account writes.

Sign-up answers the same way whether or not an account uses the address: the rest is said
by e-mail, to the address itself (a link to confirm it, or "someone tried to sign up with
your address"). A link is signed (django.core.signing) with the address it confirms and
the address the account had when it was sent, and expires: once the account's address
changes, older links stop working. A new address takes effect only when it is confirmed,
so the old one keeps receiving password resets until then.
"""

import copy

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from threads.lib.emails import send_after_commit

User = get_user_model()

CONFIRM_SALT = "threads.accounts.confirm_email"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds: three days to follow the link


class ConfirmationError(Exception):
    """A confirmation link that cannot be used, with a message for whoever followed it."""


def sign_up(username, email, password):
    """A new, unconfirmed account and its confirmation e-mail; or, if an account already
    uses ``email``, no account and a note to that account instead. Returns the new user
    or None: the caller answers the same way for both."""
    known = _account_using(email)
    if known is not None:
        send_after_commit(known, "signup_address_known", {"username": username})
        return None
    user = User.objects.create_user(username=username, email=email, password=password)
    send_confirmation(user)
    return user


def send_confirmation(user, email=None):
    """E-mail the link that confirms ``email`` (the account's own address by default) for
    ``user``. For a new address the e-mail goes to that address, not the current one."""
    email = email or user.email
    token = signing.dumps({"user": user.pk, "email": email, "was": user.email}, salt=CONFIRM_SALT)
    recipient = copy.copy(user)  # lib.emails writes to user.email: here, the address to confirm
    recipient.email = email
    context = {
        "confirm_path": reverse("confirm_email", args=[token]),
        "new_address": email != user.email,
        "days": CONFIRM_MAX_AGE // 86400,
    }
    send_after_commit(recipient, "confirm_email", context)


def change_email(user, email):
    """Ask to move ``user`` to ``email``: a link goes to the new address, and nothing
    changes until it is followed. If another account uses that address, its owner is told
    instead, and the writer hears the same as for any other address."""
    if email.lower() == user.email.lower():
        return
    known = _account_using(email, exclude=user)
    if known is not None:
        send_after_commit(known, "email_change_address_known", {})
        return
    send_confirmation(user, email)


def confirm(token):
    """The user whose address the link in ``token`` confirms, once confirmed (and moved to
    the new address, for a change). Raises ConfirmationError when it no longer fits."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationError(
            "This link has expired. Log in and ask for a new one: it is valid for "
            f"{CONFIRM_MAX_AGE // 86400} days."
        ) from None
    except signing.BadSignature:
        raise ConfirmationError(
            "This link is not a valid confirmation link. Copy the whole link from the "
            "e-mail, or log in and ask for a new one."
        ) from None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or user.email.lower() != data["was"].lower():
        raise ConfirmationError(
            "This link is for an address the account no longer uses. Log in to see the "
            "address it has now."
        )
    if _account_using(data["email"], exclude=user) is not None:
        raise ConfirmationError("Another account uses this address now, so it cannot be yours.")
    user.email = data["email"]
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "email_confirmed_at"])
    return user


def _account_using(email, exclude=None):
    accounts = User.objects.filter(email__iexact=email, is_placeholder=False)
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.first()
