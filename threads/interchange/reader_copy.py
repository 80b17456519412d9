"""A story as one reader may see it: the single source of every reader export.

Posts come only through the QuerySets that decide what the reading pages show
(``Story.objects.readable_by``, published chapters, ``Post.objects.for_readers`` narrowed
by ``visible_to``), so a rule added there (such as the reading frontier) reaches every
export with no change here. Pending, rejected, withdrawn, OOC and skipped posts, and
unpublished chapters, are never loaded at all.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from threads.models import Character, Membership, Participant, Post, Scene, Story


@dataclass(frozen=True)
class ReaderCopy:
    story: Story
    memberships: list  # active memberships, owner first, with their users
    chapters: list  # published chapters; each has .reader_scenes, each scene .reader_posts
    characters: list  # everyone credited or cast in the published text, by name

    @property
    def writers(self):
        return [membership.user for membership in self.memberships]

    @property
    def tags(self):
        return sorted(tag.name for tag in self.story.tags.all())

    @property
    def posts(self):
        return [post for chapter in self.chapters for post in chapter_posts(chapter)]


def chapter_posts(chapter):
    return [post for scene in chapter.reader_scenes for post in scene.reader_posts]


def reader_copy(story, user):
    """The story as ``user`` (None: anyone) may read it. The caller has checked that they
    may read the story at all (``Story.objects.readable_by``, as the reading pages do);
    this gathers its text in a fixed number of queries."""
    posts = (
        Post.objects.for_readers()
        .visible_to(user)
        .select_related("author", "character")
        .order_by("number")
    )
    cast = Participant.objects.select_related("character__owner").order_by("position")
    scenes = Scene.objects.order_by("position").prefetch_related(
        Prefetch("posts", queryset=posts, to_attr="reader_posts"),
        Prefetch("participants", queryset=cast, to_attr="cast"),
    )
    chapters = list(
        story.chapters.published()
        .order_by("number")
        .prefetch_related(Prefetch("scenes", queryset=scenes, to_attr="reader_scenes"))
    )
    memberships = list(
        story.memberships.active().select_related("user").order_by("created_at", "pk")
    )
    memberships.sort(key=lambda m: m.role != Membership.Role.OWNER)
    return ReaderCopy(story, memberships, chapters, _characters(chapters))


def _characters(chapters):
    """Characters cast in the published scenes or credited on a shown post, each once."""
    found = {}
    for chapter in chapters:
        for scene in chapter.reader_scenes:
            for participant in scene.cast:
                found[participant.character_id] = participant.character
            for post in scene.reader_posts:
                if post.character_id and post.character_id not in found:
                    found[post.character_id] = post.character
    owners_missing = [c for c in found.values() if not _owner_loaded(c)]
    if owners_missing:
        # Characters seen only on posts came without their owners: one query for them all.
        loaded = Character.objects.select_related("owner").in_bulk([c.pk for c in owners_missing])
        found.update(loaded)
    return sorted(found.values(), key=lambda c: (c.name.casefold(), c.pk))


def _owner_loaded(character):
    return Character.owner.is_cached(character)


def portrait_image(character):
    """``(bytes, media type, extension)`` of the character's thumbnail portrait, or None
    when there is none or its file is missing (a reader copy never fails for a picture)."""
    field = character.portrait_thumb
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if data.startswith(b"\x89PNG"):
        return data, "image/png", "png"
    return data, "image/jpeg", "jpg"


def mark_portraits(copy, sources):
    """Set ``portrait_src`` (from ``sources``, by character id) on each character and each
    post of the copy, for the export templates."""
    for character in copy.characters:
        character.portrait_src = sources.get(character.pk)
    for post in copy.posts:
        post.portrait_src = sources.get(post.character_id)
