"""Rate limits, counted in the shared cache so they hold across processes and servers.

The limits are declared in one place, settings.RP_RATE_LIMITS ("count/period" by name).
The counting is django-ratelimit's ``get_usage``: a fixed window per key, kept with the
cache's atomic ``add`` and ``incr`` (Redis, or local memory on a laptop), keys hashed,
IPv6 addresses grouped by /64, the client address read from RATELIMIT_IP_META_KEY behind
a proxy. What is counted is the signed-in user, else the client address, unless the caller
names a value (the account name typed at login).

Views use ``limited(name)`` (one decorator: the 429 page) or, where a writer's text must
come back in its form, ``hit(request, name)`` and ``retry_after(response, refusal)``.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

# What each limit counts, for the sentence a refused person reads.
ACTIONS = {
    "signup": "accounts asked for from your address",
    "password_reset": "password resets asked for from your address",
    "login_account": "failed logins for this account",
    "login_address": "failed logins from your address",
    "post": "posts",
    "preview": "previews",
    "comment": "comments",
    "report": "reports",
    "kudos": "kudos",
    "import": "imports",
    "reading_position": "reading-position saves",
}


@dataclass(frozen=True)
class Refusal:
    """Past the limit ``name``: how long until the window ends, and what to tell the person."""

    name: str
    wait: int  # seconds

    @property
    def message(self):
        return (
            f"Too many {ACTIONS[self.name]} in a short time. Try again in {_duration(self.wait)}."
        )


def _duration(seconds):
    if seconds < 90:
        return "a minute" if seconds > 45 else "a few seconds"
    minutes = round(seconds / 60)
    return f"about {minutes} minutes" if minutes < 90 else f"about {round(minutes / 60)} hours"


def _usage(request, name, value, increment):
    rate = settings.RP_RATE_LIMITS[name]
    key = "user_or_ip" if value is None else (lambda _group, _request: value)
    return get_usage(request, group=f"rp:{name}", key=key, rate=rate, increment=increment)


def hit(request, name, value=None):
    """Count one ``name`` for this request (its user or address, or ``value``): a Refusal
    once the count passes the limit, else None."""
    usage = _usage(request, name, value, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return Refusal(name, max(1, usage["time_left"]))


def reached(request, name, value=None):
    """A Refusal if ``name`` has already reached its limit, counting nothing: for limits
    on failures, checked before the attempt and counted only when it fails."""
    usage = _usage(request, name, value, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return Refusal(name, max(1, usage["time_left"]))


def retry_after(response, refusal):
    """``response`` as a refusal: status 429 and the Retry-After header."""
    response.status_code = 429
    response["Retry-After"] = str(refusal.wait)
    return response


def too_many(request, refusal):
    """The 429 page, for a request that carried no text worth keeping."""
    context = {"refusal": refusal, "message": refusal.message}
    return retry_after(render(request, "429.html", context), refusal)


def limited(name, methods=("POST",)):
    """Count each ``methods`` request to the view under ``name``; past the limit, answer
    with the 429 page instead of calling the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refusal = hit(request, name)
                if refusal is not None:
                    return too_many(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
