"""What a reader keeps of their reading: where they are in each story, bookmarks, kudos.

The rules that change these rows (rate limits, counters, who may) are threads.library's;
these models hold the data and the constraints that are the last line of defence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .stories import Story


class ReadingPositionQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Positions in stories ``user`` may still read, with a chapter that is still
        published: a story made private since, or a chapter taken down, drops out."""
        return self.filter(
            user=user,
            story__in=Story.objects.readable_by(user),
            chapter__is_published=True,
        )


class ReadingPosition(models.Model):
    """The last chapter and post a signed-in reader reached in one story."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_positions"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey("threads.Chapter", on_delete=models.CASCADE, related_name="+")
    # SET_NULL: a post removed later leaves the reader at the chapter's start, not lost.
    post = models.ForeignKey(
        "threads.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReadingPositionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="reading_position_once"),
        ]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self):
        return f"{self.user} in {self.story}, chapter {self.chapter_id}"


class Bookmark(models.Model):
    """A story a signed-in reader keeps, with a note only they see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="bookmark_once"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.user}: {self.story}"


class Kudos(models.Model):
    """One reader's kudos for one story: a signed-in reader by account, an anonymous one
    by session. The unique constraints, not a check in Python, are what keep a replayed or
    raced POST from counting twice (threads.library.kudos)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    session_key = models.CharField(max_length=40, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["story", "user"], condition=Q(user__isnull=False), name="kudos_once_by_user"
            ),
            models.UniqueConstraint(
                fields=["story", "session_key"],
                condition=Q(session_key__isnull=False),
                name="kudos_once_by_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, session_key__isnull=True)
                | Q(user__isnull=True, session_key__isnull=False),
                name="kudos_by_user_or_session",
            ),
        ]

    def __str__(self):
        return f"Kudos for {self.story}"
