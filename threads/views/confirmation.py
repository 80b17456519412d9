"""A new account confirms its e-mail address before it writes: ``email_confirmed`` guards
the views that post, edit posts, report and start stories. Reading needs nothing.

The refusal is a page saying so, with a button that sends the link again, and the text
the writer sent, to copy: nothing they wrote is lost (their browser keeps the post form's
draft too, since it was not saved).
"""

from functools import wraps

from django.shortcuts import render

# The same copy of a refused form as a suspended writer gets.
from .access import _sent_text

NOTICE = (
    "Confirm your e-mail address first: follow the link we sent to {email}. Until then you "
    "can read everything, but not post, edit posts, report posts or start stories."
)


def email_confirmed(view):
    """For views that write: an account that has not confirmed its address gets the
    confirmation page (403) on every method. Anonymous requests pass through, to the view's
    own login handling."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.email_confirmed:
            return confirmation_page(request, status=403)
        return view(request, *args, **kwargs)

    return guarded


def confirmation_page(request, status):
    context = {
        "notice": NOTICE.format(email=request.user.email),
        "kept": _sent_text(request),
    }
    return render(request, "threads/accounts/confirm_email.html", context, status=status)
