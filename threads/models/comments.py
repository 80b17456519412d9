"""Readers' comments on chapters, their reports, and who keeps away from whom.

Comments go through moderation as posts do (threads.library.comments decides): pending
unless the commenter is trusted, then approved or rejected, and hidden after the fact. A
reader sees approved comments; its author also sees their own pending, rejected or hidden
comment, with the moderator's reason. Writers answer one level deep (``parent``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from threads.lib import markup

from .moderation import ReaderReport
from .stories import Chapter


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, user):
        """Approved comments, and the user's own whatever their state (with the reason)."""
        visible = Q(status=Comment.Status.APPROVED)
        if user is not None and user.is_authenticated:
            visible |= Q(author=user)
        return self.filter(visible)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(markup.RendersMarkdown, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"
        HIDDEN = "hidden", "Hidden by a moderator"

    rendered_fields = {"body": "body_html"}

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # A writer's reply to a reader's comment; replies have no replies of their own.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["chapter", "status", "created_at"])]
        permissions = [("moderate_comment", "Can approve, reject and hide comments")]

    def __str__(self):
        return f"Comment #{self.pk} by {self.author} on {self.chapter}"

    def get_absolute_url(self):
        return f"{self.chapter.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class PendingComment(Comment):
    """A comment awaiting approval: the comments' moderation queue."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "comment awaiting approval"
        verbose_name_plural = "moderation queue: comments"


class CommentReport(ReaderReport):
    """A reader's report of a comment, resolved by a moderator (hide it or dismiss)."""

    class Resolution(models.TextChoices):
        OPEN = "open", "Open"
        HIDDEN = "hidden", "Comment hidden"
        DISMISSED = "dismissed", "Dismissed"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    resolution = models.CharField(
        max_length=12, choices=Resolution.choices, default=Resolution.OPEN, db_index=True
    )

    class Meta(ReaderReport.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(resolution="open"),
                name="comment_report_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment #{self.comment_id}"


class CommentBlock(models.Model):
    """A writer keeps a reader from commenting on the stories the writer is a member of."""

    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_blocks"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["writer", "reader"], name="comment_block_once"),
        ]

    def __str__(self):
        return f"{self.writer} blocks {self.reader}"


class Mute(models.Model):
    """A reader keeps a writer's stories out of their lists (Story.objects.not_muted_by)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reader", "writer"], name="mute_once")]

    def __str__(self):
        return f"{self.reader} mutes {self.writer}"
