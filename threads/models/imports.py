from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Claim.Status.PENDING)


class Claim(models.Model):
    """A writer's request to be credited with a character's imported posts in one story,
    and the story owner's decision on it (threads/interchange/claims.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting the owner"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    story = models.ForeignKey("threads.Story", on_delete=models.CASCADE, related_name="claims")
    character = models.ForeignKey(
        "threads.Character", on_delete=models.CASCADE, related_name="claims"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # How many posts changed hands when the claim was approved.
    posts_credited = models.PositiveIntegerField(default=0)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "character", "claimant"],
                condition=Q(status="pending"),
                name="claim_pending_once",
            ),
        ]

    def __str__(self):
        return f"{self.claimant} claims {self.character} in {self.story}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
