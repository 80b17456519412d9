"""What the public channels (feeds and the sitemap) may show: only what an anonymous reader
can read. Feed readers and crawlers carry no session, and a feed once fetched is shared, so
these never depend on who asks."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from taggit.models import Tag

from threads.models import Chapter, Character, Membership, Participant, Post, Story

from .tags import equivalent_tags


def stories():
    """Public stories with a published chapter."""
    return Story.objects.readable_by(None).with_published_chapters()


def chapters():
    return Chapter.objects.published().filter(story__in=stories())


def posts():
    """Published story text in published chapters of public stories."""
    return Post.objects.for_readers().filter(scene__chapter__in=chapters())


def tags():
    """Canonical and unwrangled tags of public stories with a published chapter; a synonym
    is left out (its page leads to its canonical tag, which is listed instead)."""
    used = Tag.objects.filter(
        Exists(Story.tags.through.objects.filter(tag=OuterRef("pk"), object_id__in=stories()))
    )
    return equivalent_tags(used).filter(info__synonym_of__isnull=True)


def writers():
    """Active members of public stories with a published chapter."""
    member = Membership.objects.active().filter(user=OuterRef("pk"), story__in=stories())
    return get_user_model().objects.filter(Exists(member), is_active=True)


def characters():
    """Characters who take part in a published chapter of a public story."""
    appears = Participant.objects.filter(character=OuterRef("pk"), scene__chapter__in=chapters())
    return Character.objects.filter(Exists(appears))
