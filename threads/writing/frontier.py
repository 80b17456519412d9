"""The reading frontier: readers see each scene up to its first unpublished turn.

A pending post passes the turn at once, so a game never waits on a moderator. Readers must
then never see a reply to a post they cannot see: in each scene they see approved posts only
up to the first in-character or narration post that still waits for a decision or was
rejected, and nothing after it, even posts already approved. OOC notes, skips, withdrawn and
removed posts never hold the frontier.

A post is published (``Post.published_at``) when the frontier passes it, and unpublished if it
falls behind the frontier again (a post before it hidden). That moment, not the approval, is
when its words count and the story counts as updated; every reader channel asks
``Post.objects.published()``. ``refresh`` recomputes one scene and is called in the same
transaction as every change of a post's status or number, with the scene row locked by the
caller.
"""

from django.db.models import F
from django.utils import timezone

from threads.discovery import indexing
from threads.library import outbox
from threads.models import Chapter, Post, Scene, Story, generations

HOLDING_KINDS = (Post.Kind.IN_CHARACTER, Post.Kind.NARRATION)
HOLDING_STATUSES = (Post.Status.PENDING, Post.Status.REJECTED)
LIVE_STATUSES = (Post.Status.PENDING, Post.Status.APPROVED)


def holds(kind, status):
    """Whether a post of this kind and status stops readers at it."""
    return kind in HOLDING_KINDS and status in HOLDING_STATUSES


def refresh(scene_id, now=None, *, as_written=False):
    """Publish every approved post before the scene's frontier and unpublish any behind it;
    shift the cached word counts by the difference. Returns the posts newly published.
    ``as_written``: each post is published at the time it was written, not ``now`` (an
    imported log keeps its own dates, in the search index and feeds too)."""
    now = now or timezone.now()
    publish, unpublish, words, story_published = _changes(scene_id)
    if publish:
        published_at = F("created_at") if as_written else now
        Post.objects.filter(pk__in=publish).update(published_at=published_at)
    if unpublish:
        Post.objects.filter(pk__in=unpublish).update(published_at=None)
    if publish or unpublish:
        shift_counts(scene_id, words, now if story_published else None)
        generations.bump_scene_story(scene_id)  # readers' cached pages show the change
    indexing.index_posts(publish + unpublish)  # search shows exactly the published posts
    outbox.posts_published(publish)  # digest subscribers hear of them (in the outbox)
    return publish


def _changes(scene_id):
    rows = (
        Post.objects.filter(scene_id=scene_id)
        .order_by("number")
        .values_list("pk", "kind", "status", "published_at", "word_count")
    )
    publish, unpublish, words, held, story_published = [], [], 0, False, False
    for pk, kind, status, published_at, word_count in rows:
        held = held or holds(kind, status)
        visible = not held and status == Post.Status.APPROVED
        counted = word_count if kind in Post.STORY_KINDS else 0
        if visible and published_at is None:
            publish.append(pk)
            words += counted
            story_published = story_published or kind in Post.STORY_KINDS
        elif not visible and published_at is not None:
            unpublish.append(pk)
            words -= counted
    return publish, unpublish, words, story_published


def shift_counts(scene_id, words, now=None):
    """Add ``words`` (negative to take away) to the cached counts of a scene, its chapter
    and, when the chapter is published, its story, with F() so concurrent changes add up.
    ``now`` marks a published chapter's story updated, for newly published text."""
    scene = Scene.objects.select_related("chapter").get(pk=scene_id)
    scene_changes = {"word_count": F("word_count") + words}
    Scene.objects.filter(pk=scene_id).update(**scene_changes)
    Chapter.objects.filter(pk=scene.chapter_id).update(word_count=F("word_count") + words)
    if not scene.chapter.is_published:
        return  # readers cannot see the chapter yet: the story's count and date stay
    story_changes = {"word_count": F("word_count") + words}
    if now is not None:
        story_changes["updated_at"] = now
    Story.objects.filter(pk=scene.chapter.story_id).update(**story_changes)


def answers(post):
    """How many later live posts (OOC notes aside) answer ``post`` in its scene: rejecting it
    holds all of them back from readers."""
    return (
        Post.objects.filter(
            scene_id=post.scene_id, number__gt=post.number, status__in=LIVE_STATUSES
        )
        .exclude(kind=Post.Kind.OUT_OF_CHARACTER)
        .count()
    )
