"""Kudos: one per reader per story, signed in (by account) or not (by session).

The row and the story's count change in one transaction; the unique constraints on Kudos
decide a replayed or raced POST, so the count can never be doubled."""

from django.db.models import F

from threads.lib.locking import run_in_transaction
from threads.models import Kudos, Story, generations


class KudosRefused(Exception):
    """The reader may not leave kudos here; the message says why."""


def give(story, user=None, session_key=None):
    """Leave kudos on ``story`` from ``user`` or, when anonymous, from ``session_key``.
    Returns True if this added one, False if this reader had already left theirs."""
    if user is not None and user.is_authenticated:
        who = {"user": user}
    elif session_key:
        who = {"session_key": session_key}
    else:
        raise ValueError("Kudos need a reader: an account or a session.")
    # Retried while SQLite reports the database locked by a racing request; on PostgreSQL
    # the unique constraint decides, and get_or_create reads the winner's row.
    return run_in_transaction(_give, story.pk, who)


def _give(story_pk, who):
    _, created = Kudos.objects.get_or_create(story_id=story_pk, **who)
    if created:
        Story.objects.filter(pk=story_pk).update(kudos_count=F("kudos_count") + 1)
        generations.bump_story(story_pk)  # the count shows on its page and cards
    return created


def refusal(story, user, membership):
    """Why ``user`` may not leave kudos on ``story`` (already readable to them), or None."""
    if membership is not None:
        return "Writers cannot leave kudos on their own story."
    if user.is_authenticated and user.is_suspended:
        return "Your account is suspended, so you cannot leave kudos. You can still read."
    if not story.chapters.published().exists():
        return "This story has nothing published to read yet."
    return None


def given_by(story, user):
    """Whether a signed-in ``user`` has left kudos on ``story``."""
    return user.is_authenticated and Kudos.objects.filter(story=story, user=user).exists()
