from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from threads.lib import markup


class User(markup.RendersMarkdown, AbstractUser):
    """A writer, reader or moderator. Custom from the first migration, so it can grow."""

    rendered_fields = {"bio": "bio_html"}

    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    pronouns = models.CharField(max_length=40, blank=True)
    is_trusted = models.BooleanField(
        "trusted",
        default=False,
        help_text="Posts by trusted writers are approved without waiting for a moderator.",
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    # An inactive account standing in for the unknown writer of imported posts, named after
    # their character, until a real writer claims them (threads/interchange/claims.py).
    is_placeholder = models.BooleanField(default=False, editable=False)
    suspension_reason = models.TextField(blank=True)
    # When the owner of the address followed the signed link sent to it
    # (threads/accounts/confirmation.py).
    # Until then the account reads but does not post, edit posts, report or start stories.
    email_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notify_on_turn = models.BooleanField("e-mail me when it is my turn", default=True)
    notify_on_invitation = models.BooleanField(
        "e-mail me when I am invited to a story", default=True
    )
    notify_on_moderation = models.BooleanField(
        "e-mail me when a moderator decides on my post", default=True
    )
    notify_on_comment = models.BooleanField(
        "e-mail me about new comments on my stories", default=True
    )
    # Shown in reader-insert stories in place of "Y/N"; filled in by the reader's browser
    # as text, never markup. Long enough for any name a reader means.
    reader_name = models.CharField("your name in reader-insert stories", max_length=300, blank=True)

    class Meta:
        permissions = [
            ("moderate_user", "Can trust, distrust, suspend and unsuspend writers"),
        ]

    def __str__(self):
        return self.username

    def get_absolute_url(self):
        return reverse("writer_detail", args=[self.username])

    @property
    def name(self):
        """What readers see: the display name, or the username."""
        return self.display_name or self.username

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    def has_perm(self, perm, obj=None):
        """Suspension takes every permission away at once, a superuser's too: a suspended
        moderator or administrator cannot decide, in the admin or anywhere else, until
        someone else lifts the suspension (threads.moderation refuses it too)."""
        if self.is_suspended:
            return False
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_suspended:
            return False
        return super().has_module_perms(app_label)

    @property
    def is_moderator(self):
        return self.has_perm("threads.moderate_post")

    def suspend(self, reason):
        self.suspended_at = timezone.now()
        self.suspension_reason = reason
        self.save(update_fields=["suspended_at", "suspension_reason"])

    def unsuspend(self):
        self.suspended_at = None
        self.suspension_reason = ""
        self.save(update_fields=["suspended_at", "suspension_reason"])
