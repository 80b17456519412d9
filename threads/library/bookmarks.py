"""Bookmarks: stories a signed-in reader keeps, each with a note only they see."""

from django.db import IntegrityError, transaction

from threads.models import Bookmark, Story

NOTE_MAX_LENGTH = 2_000


def save(user, story, note=""):
    """Bookmark ``story`` for ``user``, or change the note of their bookmark."""
    try:
        with transaction.atomic():
            Bookmark.objects.update_or_create(user=user, story=story, defaults={"note": note})
    except IntegrityError:  # the same reader's other tab made it a moment ago
        Bookmark.objects.filter(user=user, story=story).update(note=note)


def remove(user, story):
    Bookmark.objects.filter(user=user, story=story).delete()


def of(user):
    """The user's bookmarks of stories they may still read, newest first."""
    return (
        Bookmark.objects.filter(user=user, story__in=Story.objects.readable_by(user))
        .select_related("story")
        .order_by("-created_at", "-pk")
    )


def bookmark_of(user, story):
    if not user.is_authenticated:
        return None
    return Bookmark.objects.filter(user=user, story=story).first()
