from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReaderReport(models.Model):
    """What every reader's report holds, whatever it reports: a post (Report) or a comment
    (CommentReport). Each adds its target, its reporter and its own resolutions."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        HARASSMENT = "harassment", "Harassment"
        RATING = "rating", "Rating or warnings are wrong"
        OTHER = "other", "Other"

    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at"]


class Report(ReaderReport):
    """A reader's report of a post, resolved by a moderator."""

    class Resolution(models.TextChoices):
        OPEN = "open", "Open"
        POST_HIDDEN = "hidden", "Post hidden"
        DISMISSED = "dismissed", "Dismissed"
        AUTHOR_SUSPENDED = "suspended", "Author suspended"

    post = models.ForeignKey("threads.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    resolution = models.CharField(
        max_length=12, choices=Resolution.choices, default=Resolution.OPEN, db_index=True
    )

    class Meta(ReaderReport.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolution="open"),
                name="report_one_open_per_reporter",
            ),
        ]
        permissions = [("resolve_report", "Can resolve reports")]

    def __str__(self):
        return f"{self.get_reason_display()} report on {self.post}"


class ModerationAction(models.Model):
    """The audit trail: every moderator decision, with who, what, when and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved post"
        REJECT = "reject", "Rejected post"
        RESTORE = "restore", "Restored post"
        APPROVE_EDIT = "approve_edit", "Approved edit"
        REJECT_EDIT = "reject_edit", "Rejected edit"
        HIDE = "hide", "Hid post after report"
        REMOVE = "remove", "Removed post for good"
        DISMISS_REPORT = "dismiss", "Dismissed report"
        TRUST = "trust", "Trusted writer"
        UNTRUST = "untrust", "Untrusted writer"
        SUSPEND = "suspend", "Suspended writer"
        UNSUSPEND = "unsuspend", "Unsuspended writer"
        # Decisions on readers' comments (threads.library.comments).
        APPROVE_COMMENT = "c_approve", "Approved comment"
        REJECT_COMMENT = "c_reject", "Rejected comment"
        HIDE_COMMENT = "c_hide", "Hid comment"
        RESTORE_COMMENT = "c_restore", "Restored comment"
        DISMISS_COMMENT_REPORT = "c_dismiss", "Dismissed comment report"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_actions"
    )
    action = models.CharField(max_length=14, choices=Action.choices)
    post = models.ForeignKey(
        "threads.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    revision = models.ForeignKey(
        "threads.Revision", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_history",
        help_text="The writer the decision was about.",
    )
    comment = models.ForeignKey(
        "threads.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(subject__isnull=False),
                name="moderation_action_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.moderator}"
