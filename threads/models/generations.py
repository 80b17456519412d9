"""Generation numbers for the anonymous page cache (threads/views/pagecache.py).

Each story has a generation (``Story.generation``) and the site has one for its lists (the
single ``SiteGeneration`` row). A cached page's key includes the generation it was rendered
under, so bumping the number makes every older copy unreachable at once: invalidation is
exact, with no time-to-live to wait out. The domain function that makes a change readers can
see calls ``bump_story`` (or one of the wider helpers below) in the same transaction as the
change, so no reader can read the new number before the new data is committed.

Every story bump also bumps the site generation: the lists show story cards (titles, counts,
dates), and a story made private must leave them too.
"""

from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import F


class SiteGeneration(models.Model):
    """One row: the generation of every page that lists stories (home, list, tags, feeds)."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "site generation"

    def __str__(self):
        return f"site generation {self.number}"


def bump_site():
    if not SiteGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        # The first change of a new database: the row appears with a number past 0.
        SiteGeneration.objects.get_or_create(pk=1, defaults={"number": 1})


def bump_stories(story_ids):
    """Bump the generation of these stories (ids or a values_list/queryset of ids) and the
    site's. Call inside the transaction of the change."""
    from .stories import Story

    Story.objects.filter(pk__in=story_ids).update(generation=F("generation") + 1)
    bump_site()


def bump_story(story_id):
    bump_stories([story_id])


def bump_scene_story(scene_id):
    from .stories import Story

    bump_stories(Story.objects.filter(chapters__scenes=scene_id).values("pk"))


def bump_character_stories(character_id):
    """Every story the character appears in: a scene's cast or a post written as it."""
    from .stories import Story

    cast = models.Q(chapters__scenes__participants__character=character_id)
    posted = models.Q(chapters__scenes__posts__character=character_id)
    bump_stories(Story.objects.filter(cast | posted).values("pk"))


def bump_writer_stories(user_id):
    """Every story the user writes in, or ever wrote a post in (credits name them)."""
    from .stories import Story

    member = models.Q(memberships__user=user_id)
    posted = models.Q(chapters__scenes__posts__author=user_id)
    bump_stories(Story.objects.filter(member | posted).values("pk"))


@contextmanager
def changing(bump, *args):
    """A transaction around a change saved by a form (a ModelForm saves the row and its
    many-to-many fields in two steps), with ``bump(*args)`` in it."""
    with transaction.atomic():
        yield
        bump(*args)
