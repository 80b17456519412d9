"""Moderation policy: which posts wait for a moderator, and the decisions on them."""

from django.conf import settings


def needs_review(author):
    """Whether a post or edit by ``author`` waits for a moderator before readers see it."""
    if not settings.RP_PREMODERATION:
        return False
    return not (author.is_trusted or author.is_moderator)
