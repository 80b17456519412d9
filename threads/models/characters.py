from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from threads.lib import markup

from .slugs import unique_slug


class CharacterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Character(markup.RendersMarkdown, models.Model):
    """A character card. It belongs to one writer, and only that writer posts as it."""

    rendered_fields = {"description": "description_html"}

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="characters"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True, blank=True)
    tagline = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    pronouns = models.CharField(max_length=40, blank=True)
    portrait = models.ImageField(upload_to="portraits/", blank=True)
    portrait_thumb = models.ImageField(upload_to="portraits/thumbs/", blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # From character cards (threads/interchange/cards.py): the first message, offered as a
    # scene's opening post, and every card field we have no column for, so that importing
    # a card and exporting it again gives an equal card.
    greeting = models.TextField(blank=True, help_text="An opening post for a new scene.")
    card_extensions = models.JSONField(default=dict, blank=True, editable=False)
    # Free tags (a genre, an archetype, a fandom), wrangled with the stories' (discovery.tags).
    tags = TaggableManager(blank=True)

    objects = CharacterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Character, self.name, "character")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("character_detail", args=[self.slug])

    @property
    def is_retired(self):
        return self.retired_at is not None

    def retire(self):
        """Off the writer's public list and out of new scenes; its posts stay. Leaving the
        casts of open scenes is threads.writing.membership.retire_character's part."""
        if self.retired_at is None:
            self.retired_at = timezone.now()
            self.save(update_fields=["retired_at"])

    def unretire(self):
        self.retired_at = None
        self.save(update_fields=["retired_at"])

    @property
    def initials(self):
        return "".join(word[0] for word in self.name.split()[:2]).upper()
