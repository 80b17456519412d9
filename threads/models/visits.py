from django.conf import settings
from django.db import models
from django.utils import timezone


class SceneVisit(models.Model):
    """How far a member has read a scene's workspace: posts numbered above ``last_seen_number``
    are marked new on their next visit (Glowfic's "unread")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scene_visits"
    )
    scene = models.ForeignKey("threads.Scene", on_delete=models.CASCADE, related_name="visits")
    last_seen_number = models.PositiveIntegerField(default=0)
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scene"], name="scene_visit_unique"),
        ]

    def __str__(self):
        return f"{self.user} in {self.scene} up to #{self.last_seen_number}"
