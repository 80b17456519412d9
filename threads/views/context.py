"""Signs that it is your turn outside the dashboard: a count in the navigation (a context
processor) and a message after logging in (a ``user_logged_in`` receiver, connected in
``ThreadsConfig.ready``)."""

from functools import cache

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html

from threads.writing.waiting import scenes_waiting_for


def turns_waiting(request):
    """``turns_waiting``: how many scenes wait for the signed-in writer. A callable, so the
    queries run only on pages that print it (not the admin's, nor a JSON download), and once;
    a view that already knows the number passes its own ``turns_waiting``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"turns_waiting": cache(lambda: len(scenes_waiting_for(user)))}


def tell_turns_on_login(sender, request, user, **kwargs):
    """After logging in, say where it is the writer's turn, linking the dashboard."""
    count = len(scenes_waiting_for(user))
    if not count:
        return
    scenes = "1 scene" if count == 1 else f"{count} scenes"
    text = format_html(
        'It is your turn in {}: <a href="{}">see your dashboard</a>.', scenes, reverse("dashboard")
    )
    # A login outside a browser request (a test client's force_login) has no message store.
    messages.info(request, text, fail_silently=True)
