"""Readers following stories, and the outbox of e-mails waiting to go out.

The transaction that publishes something writes Notification rows (threads.library.outbox);
``manage.py send_notifications`` sends them later, so no request waits on SMTP. The partial
unique constraints make writing a row twice harmless: a replayed hook adds nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .comments import Comment
from .stories import Chapter, Story


class Subscription(models.Model):
    class Mode(models.TextChoices):
        CHAPTER = "chapter", "An e-mail for each new chapter"
        DIGEST = "digest", "A daily digest of new posts"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="subscriptions")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.CHAPTER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The digest covers posts published after this (or after created_at, before the first).
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="subscription_once"),
        ]
        indexes = [models.Index(fields=["story", "mode"])]

    def __str__(self):
        return f"{self.user} follows {self.story} ({self.mode})"


class Notification(models.Model):
    """One e-mail waiting in the outbox, or sent (``sent_at``)."""

    class Kind(models.TextChoices):
        CHAPTER = "chapter", "New chapter"
        DIGEST = "digest", "Digest of new posts"
        COMMENT = "comment", "New comment"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Deleting a subscription (unsubscribing) drops what it had waiting.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "chapter"],
                condition=Q(kind="chapter"),
                name="notification_chapter_once",
            ),
            models.UniqueConstraint(
                fields=["subscription"],
                condition=Q(kind="digest", sent_at__isnull=True),
                name="notification_one_digest_waiting",
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(kind="comment"),
                name="notification_comment_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"
