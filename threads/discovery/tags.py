"""Tags as readers find them, and tag wrangling.

A synonym and its canonical tag are one tag to readers. ``equivalent_ids`` (and, for many
names at once, ``equivalent_ids_by_name``) says which tags stand for a tag or a name, and the
story list, the tag pages and the per-tag feed filter on those ids; ``equivalent_tags`` says
the same as a subquery, for the sitemap's list of tags. Counts and clouds count only stories
``user`` may read (readable, with a published chapter), in a fixed number of queries.

Wrangling decisions (canonical, synonym, merge) each run in one transaction, lock the tags
they touch, and write one TagDecision, as moderation decisions write a ModerationAction.
"""

import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from threads.models import Character, Participant, Story, TagDecision, TagInfo, generations
from threads.moderation import ModerationError

Action = TagDecision.Action
CLOUD_SIZE = 100
CLOUD_BUCKETS = 5
SUGGESTIONS = 10
MAX_FILTER_TAGS = 10


class WranglingError(ModerationError):
    """A wrangling decision that cannot be made as asked, with a message for the moderator
    (a ModerationError, so the admin's shared decision helpers report it the same way)."""


# Finding -------------------------------------------------------------------------------


def named(text):
    """Tags a reader may mean by ``text``: its slug, its exact name, or the slug it would
    get (so "Found Family" and "found-family" both find found-family). Indexed lookups."""
    text = (text or "").strip()
    return Tag.objects.filter(_named(text) if text else Q(pk__in=[]))


def _named(text):
    return Q(slug=text) | Q(name=text) | Q(slug=Tag().slugify(text))


def equivalent_tags(tags):
    """Every tag that means the same as one of ``tags`` (a Tag, or a QuerySet of them): its
    canonical tag and all of that tag's synonyms. Lazy: a subquery."""
    if isinstance(tags, Tag):
        tags = Tag.objects.filter(pk=tags.pk)
    picked = tags.values("pk")
    roots = Tag.objects.filter(
        Q(pk__in=picked, info__synonym_of__isnull=True) | Q(synonym_infos__tag__in=picked)
    ).values("pk")
    return Tag.objects.filter(Q(pk__in=roots) | Q(info__synonym_of__in=roots))


def equivalent_ids(tags):
    """The pks of ``equivalent_tags(tags)``, read in two small indexed queries: the roots
    (a synonym's canonical tag, or the tag itself), then the roots' synonyms; the first is
    free for a Tag read with select_related("info__synonym_of"). A third of the time of the
    one query equivalent_tags makes, whose nested subqueries cost more to build than to
    run."""
    if isinstance(tags, Tag):
        roots = {(canonical_of(tags) or tags).pk}  # no query after select_related
    else:
        roots = {root or pk for pk, root in tags.values_list("pk", "info__synonym_of")}
    return _with_synonyms({None: roots})[None]


def equivalent_ids_by_name(names):
    """For each of ``names`` that names a tag (as ``named`` reads it), the pks of the tags
    it stands for, as equivalent_ids gives them: two queries for all the names together,
    however many a reader puts in the query string."""
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return {}
    wanted = Q()
    for name in names:
        wanted |= _named(name)
    found = Tag.objects.filter(wanted).values_list("pk", "name", "slug", "info__synonym_of")
    roots = {}
    for name in names:
        slugs = {name, Tag().slugify(name)}
        for pk, tag_name, slug, synonym_of in found:
            if tag_name == name or slug in slugs:
                roots.setdefault(name, set()).add(synonym_of or pk)
    return _with_synonyms(roots)


def _with_synonyms(roots):
    """{key: root pks} -> {key: sorted pks of the roots and all their synonyms}, one query."""
    every_root = set().union(*roots.values())
    synonyms = {}
    rows = TagInfo.objects.filter(synonym_of__in=every_root).values_list("synonym_of", "tag")
    for root, tag in rows:
        synonyms.setdefault(root, set()).add(tag)
    return {
        key: sorted(pks.union(*(synonyms.get(pk, ()) for pk in pks))) for key, pks in roots.items()
    }


def tagged(model, tag_ids):
    """An Exists() for ``model`` rows carrying one of ``tag_ids`` (from equivalent_ids).
    A list, not a subquery: given a subquery, PostgreSQL could not tell how many taggings
    it would meet, and scanned them all."""
    items = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        tag_id__in=tag_ids,
    )
    return Exists(items)


def parse(values):
    """Tag names from query-string values, each of which may list several with commas.
    Commas only (not taggit's parse_tags, which splits a comma-free "found family" at the
    space): a reader's "found family" is one tag."""
    names = [name.strip() for value in values for name in value[:1000].split(",")]
    names = [name for name in names if name]
    return list(dict.fromkeys(names))[:MAX_FILTER_TAGS]


def canonical_of(tag):
    """The tag a synonym stands for, or None if ``tag`` is not a synonym. Free when ``tag``
    was read with select_related("info__synonym_of"), one query otherwise."""
    try:
        info = tag.info
    except TagInfo.DoesNotExist:
        return None
    return info.synonym_of


def readable_stories(user):
    return Story.objects.readable_by(user).not_muted_by(user).with_published_chapters()


def with_tag(stories, tag):
    """``stories`` narrowed to those carrying ``tag`` or a tag equivalent to it."""
    return stories.filter(tagged(Story, equivalent_ids(tag)))


def stories_tagged(user, tag_ids):
    """Stories ``user`` may read carrying one of ``tag_ids`` (from equivalent_ids)."""
    return readable_stories(user).filter(tagged(Story, tag_ids))


def visible_characters(user):
    """Characters who appear in a published chapter of a story ``user`` may read: one known
    only from a private story stays unknown (as in search)."""
    appears = Participant.objects.filter(
        character=OuterRef("pk"),
        scene__chapter__is_published=True,
        scene__chapter__story__in=readable_stories(user).values("pk"),
    )
    return Character.objects.filter(Exists(appears))


def characters_tagged(user, tag_ids):
    """Characters ``user`` may know of carrying one of ``tag_ids`` (from equivalent_ids)."""
    return visible_characters(user).filter(tagged(Character, tag_ids)).select_related("owner")


@dataclass(frozen=True)
class CloudTag:
    tag: Tag
    count: int
    bucket: int


def cloud(user, limit=CLOUD_SIZE):
    """The most used tags, a synonym's stories counted under its canonical tag, each with the
    number of readable stories carrying it and a size bucket 1-5. Two queries."""
    root = Coalesce(F("tag__info__synonym_of"), F("tag"))
    counts = list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Story),
            object_id__in=readable_stories(user).values("pk"),
        )
        .annotate(root=root)
        .values("root")
        .annotate(count=Count("object_id", distinct=True))
        .order_by("-count", "root")[:limit]
    )
    tags = Tag.objects.in_bulk([row["root"] for row in counts])
    top = counts[0]["count"] if counts else 1
    found = [
        CloudTag(tags[row["root"]], row["count"], _bucket(row["count"], top)) for row in counts
    ]
    return sorted(found, key=lambda item: item.tag.name.casefold())


def _bucket(count, top):
    """1 for the least used to CLOUD_BUCKETS for the most, on a log scale: a few very popular
    tags would otherwise shrink every other tag to the smallest size."""
    if top <= 1:
        return 1
    return 1 + round((CLOUD_BUCKETS - 1) * math.log(count) / math.log(top))


def suggestions(user, prefix):
    """Up to SUGGESTIONS tag names starting with ``prefix``, most used first, from readable
    stories and visible characters, never synonyms: a tag that only a private story or a
    character known only from one carries is not revealed."""
    prefix = prefix.strip()[:50]
    if not prefix:
        return []
    on_stories = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Story),
        object_id__in=readable_stories(user).values("pk"),
    )
    on_characters = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Character),
        object_id__in=visible_characters(user).values("pk"),
    )
    found = (
        Tag.objects.filter(name__istartswith=prefix, info__synonym_of__isnull=True)
        .filter(Exists(on_stories) | Exists(on_characters))
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")
    )
    return list(found.values_list("name", flat=True)[:SUGGESTIONS])


# Wrangling -----------------------------------------------------------------------------


def mark_canonical(tag, moderator, reason=""):
    with transaction.atomic():
        info = _locked_info(tag)
        if info.synonym_of_id:
            raise WranglingError(f"“{tag}” is a synonym of “{info.synonym_of}”: not canonical.")
        info.canonical = True
        info.save()
        return _record(Action.CANONICAL, tag, moderator, reason=reason)


def unmark_canonical(tag, moderator, reason=""):
    with transaction.atomic():
        info = _locked_info(tag)
        if TagInfo.objects.filter(synonym_of=tag).exists():
            raise WranglingError(f"“{tag}” has synonyms; make them point elsewhere first.")
        info.canonical = False
        info.save()
        return _record(Action.UNCANONICAL, tag, moderator, reason=reason)


def make_synonym(tag, canonical, moderator, reason="", merge=True):
    """``tag`` now means ``canonical``; its own synonyms follow it to ``canonical``. With
    ``merge``, every item tagged ``tag`` is retagged ``canonical`` too (see ``merge``)."""
    with transaction.atomic():
        info = _locked_info(tag)
        target = _locked_info(canonical)
        if tag.pk == canonical.pk or not target.canonical:
            raise WranglingError(f"“{canonical}” is not a canonical tag: mark it canonical first.")
        info.canonical, info.synonym_of = False, canonical
        info.save()
        TagInfo.objects.filter(synonym_of=tag).update(synonym_of=canonical)
        generations.bump_site()  # the tag pages, the cloud and filtered lists change
        decision = _record(Action.SYNONYM, tag, moderator, canonical, reason=reason)
        if merge:
            decision = merge_synonym(tag, moderator, reason)
        return decision


def merge_synonym(tag, moderator, reason=""):
    """Retag every story and character tagged with the synonym ``tag`` with its canonical
    tag, in one transaction. An item that already carries both keeps one tagging of the
    canonical tag; no item loses its tag. Recorded with the number of items moved."""
    with transaction.atomic():
        info = _locked_info(tag)
        canonical = info.synonym_of
        if canonical is None:
            raise WranglingError(f"“{tag}” is not a synonym: there is nothing to merge into.")
        items = TaggedItem.objects.filter(tag=tag)
        # The retagged stories' pages show the canonical tag now (and the lists, the site's).
        story_type = ContentType.objects.get_for_model(Story)
        generations.bump_stories(items.filter(content_type=story_type).values("object_id"))
        already = TaggedItem.objects.filter(
            tag=canonical, content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        doubled, _ = items.filter(Exists(already)).delete()
        moved = items.update(tag=canonical)
        return _record(Action.MERGE, tag, moderator, canonical, doubled + moved, reason)


def _locked_info(tag):
    """The tag's wrangling row, made if missing, locked for the rest of the transaction."""
    TagInfo.objects.get_or_create(tag=tag)
    return TagInfo.objects.select_for_update(of=("self",)).select_related("synonym_of").get(tag=tag)


def _record(action, tag, moderator, target=None, moved=0, reason=""):
    # Every wrangling decision records here, in its transaction: readers' cached pages follow.
    generations.bump_stories(with_tag(Story.objects.all(), tag).values("pk"))
    return TagDecision.objects.create(
        action=action,
        tag=tag,
        tag_name=tag.name,
        target=target,
        target_name=target.name if target else "",
        taggings_moved=moved,
        moderator=moderator,
        reason=reason,
    )
