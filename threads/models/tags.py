"""Tag wrangling, as Archive of Our Own does it: a moderator marks a tag canonical, or makes
a tag a synonym of a canonical one, so that readers filtering by either find both. Tags
themselves are django-taggit's; the rules that change these rows are threads.discovery.tags'.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag


class TagInfo(models.Model):
    """What the wranglers decided about one tag. A tag without a row is neither canonical
    nor a synonym: it is found by its own name only."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="info")
    canonical = models.BooleanField(default=False)
    # PROTECT: a canonical tag with synonyms cannot be deleted from under them.
    synonym_of = models.ForeignKey(
        Tag,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="synonym_infos",
        help_text="The canonical tag this one means the same as.",
    )

    class Meta:
        verbose_name = "tag wrangling"
        constraints = [
            models.CheckConstraint(
                condition=Q(canonical=False) | Q(synonym_of__isnull=True),
                name="taginfo_canonical_is_no_synonym",
            ),
            models.CheckConstraint(
                condition=~Q(synonym_of=models.F("tag")), name="taginfo_not_own_synonym"
            ),
        ]

    def __str__(self):
        if self.synonym_of_id:
            return f"{self.tag} → {self.synonym_of}"
        return f"{self.tag} ({'canonical' if self.canonical else 'unwrangled'})"


class WrangledTag(Tag):
    """taggit's Tag as the moderators' admin shows it, with the wrangling permission."""

    class Meta:
        proxy = True
        verbose_name = "tag"
        verbose_name_plural = "tags: wrangling"
        default_permissions = ("view",)
        permissions = [("wrangle_tag", "Can mark tags canonical, make synonyms and merge them")]


class TagDecision(models.Model):
    """The audit trail of wrangling, like ModerationAction for posts: who decided what about
    which tag, when, and how many taggings a merge moved."""

    class Action(models.TextChoices):
        CANONICAL = "canonical", "Marked canonical"
        UNCANONICAL = "uncanonical", "Unmarked canonical"
        SYNONYM = "synonym", "Made a synonym"
        MERGE = "merge", "Merged into its canonical tag"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tag_decisions"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    tag = models.ForeignKey(Tag, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so the record still reads right if a tag is deleted or renamed.
    tag_name = models.CharField(max_length=100)
    target = models.ForeignKey(
        Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_name = models.CharField(max_length=100, blank=True)
    taggings_moved = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        target = f" → {self.target_name}" if self.target_name else ""
        return f"{self.get_action_display()}: {self.tag_name}{target}"
