"""The outbox: e-mails about stories, written down in the transaction that publishes
something and sent later by ``send_due`` (``manage.py send_notifications``, from cron every
minute, or a task queue later: this module is the one place that sends them).

Writing is cheap and idempotent (the Notification constraints drop a second row for the same
thing). Sending claims each row with a conditional UPDATE before sending, so two runs at
once never send one twice; a failed send gives the row back for the next run. Only readers
who may still read the story get mail, and it describes only what readers may see now.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from threads.lib.emails import send_to_user
from threads.lib.excerpts import excerpt
from threads.models import Comment, Membership, Notification, Post, Story, Subscription

from . import subscriptions

log = logging.getLogger(__name__)

Kind = Notification.Kind
DIGEST_EVERY = timedelta(days=1)
BATCH = 500


# Writing rows (inside the publishing transaction) -----------------------------------------


def posts_published(post_ids):
    """Frontier hook: digest subscribers of the stories these newly published posts belong
    to (story text in a published chapter) get a digest waiting, at most one each."""
    if not post_ids:
        return
    stories = Story.objects.filter(
        chapters__is_published=True,
        chapters__scenes__posts__in=post_ids,
        chapters__scenes__posts__kind__in=Post.STORY_KINDS,
    ).values("pk")
    _queue_digests(Subscription.objects.filter(story__in=stories, mode=Subscription.Mode.DIGEST))


def chapter_published(chapter):
    """Structure hook: a chapter readers can now read. Chapter subscribers get an e-mail;
    digest subscribers see its posts in their next digest."""
    followers = Subscription.objects.filter(story=chapter.story_id)
    rows = [
        Notification(kind=Kind.CHAPTER, user_id=s.user_id, subscription=s, chapter=chapter)
        for s in followers.filter(mode=Subscription.Mode.CHAPTER)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _queue_digests(followers.filter(mode=Subscription.Mode.DIGEST))


def _queue_digests(subscriptions_qs):
    rows = [
        Notification(kind=Kind.DIGEST, user_id=user_id, subscription_id=pk)
        for pk, user_id in subscriptions_qs.values_list("pk", "user_id")
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def comment_approved(comment):
    """The story's writers (but the commenter) who want it hear of a comment readers see."""
    writers = Membership.objects.active().filter(
        story=comment.chapter.story_id, user__notify_on_comment=True
    )
    rows = [
        Notification(kind=Kind.COMMENT, user_id=user_id, comment=comment)
        for user_id in writers.exclude(user=comment.author_id).values_list("user_id", flat=True)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


# Sending --------------------------------------------------------------------------------


def send_due(now=None):
    """Send every waiting e-mail that is due (digests once a day per subscription).
    Returns how many were sent. Safe to run again at once, or twice at the same time."""
    now = now or timezone.now()
    sent = 0
    for note in _due(now):
        if not _claim(note, now):
            continue  # another run took it
        try:
            sent += _send(note, now)
        except Exception:
            Notification.objects.filter(pk=note.pk).update(sent_at=None)  # next run retries
            log.exception("Could not send notification %s", note.pk)
    return sent


def _due(now):
    recent_digest = Q(kind=Kind.DIGEST, subscription__last_digest_at__gt=now - DIGEST_EVERY)
    return list(
        Notification.objects.filter(sent_at=None)
        .exclude(recent_digest)
        .select_related(
            "user",
            "subscription__story",
            "chapter__story",
            "comment__chapter__story",
            "comment__author",
        )
        .order_by("created_at", "pk")[:BATCH]
    )


def _claim(note, now):
    return Notification.objects.filter(pk=note.pk, sent_at=None).update(sent_at=now) == 1


def _send(note, now):
    """Send one claimed row; 0 when there is nothing a reader may see to tell (the chapter
    was taken down, the story made private), and the row stays marked done."""
    user = note.user
    if not user.is_active or not user.email:
        return 0
    if note.kind == Kind.CHAPTER:
        return _send_chapter(note)
    if note.kind == Kind.DIGEST:
        return _send_digest(note, now)
    return _send_comment(note)


def _readable(user, story_id):
    return Story.objects.readable_by(user).filter(pk=story_id).exists()


def _send_chapter(note):
    chapter, subscription = note.chapter, note.subscription
    if not chapter.is_published or not _readable(note.user, chapter.story_id):
        return 0
    context = {
        "story": chapter.story,
        "chapter": chapter,
        "summary": excerpt(chapter.summary_html, 400),
        "chapter_url": settings.SITE_URL + chapter.get_absolute_url(),
        "unsubscribe_url": subscriptions.unsubscribe_url(subscription),
    }
    headers = subscriptions.unsubscribe_headers(subscription)
    send_to_user(note.user, "subscription_chapter", context, headers=headers)
    return 1


def digest_posts(subscription, since, until):
    """What a digest describes: story text readers may see, published in (since, until]."""
    return (
        Post.objects.for_readers()
        .filter(
            scene__chapter__story=subscription.story_id,
            scene__chapter__is_published=True,
            published_at__gt=since,
            published_at__lte=until,
        )
        .select_related("scene__chapter", "character", "author")
        .order_by("scene__chapter__number", "scene__position", "number")
    )


def _send_digest(note, now):
    subscription = note.subscription
    since = subscription.last_digest_at or subscription.created_at
    Subscription.objects.filter(pk=subscription.pk).update(last_digest_at=now)
    if not _readable(note.user, subscription.story_id):
        return 0
    posts = list(digest_posts(subscription, since, now))
    if not posts:
        return 0
    context = {
        "story": subscription.story,
        "scenes": _by_scene(posts),
        "post_count": len(posts),
        "story_url": settings.SITE_URL + subscription.story.get_absolute_url(),
        "unsubscribe_url": subscriptions.unsubscribe_url(subscription),
    }
    headers = subscriptions.unsubscribe_headers(subscription)
    send_to_user(note.user, "subscription_digest", context, headers=headers)
    return 1


def _by_scene(posts):
    """[(scene, chapter url, posts, words, names)] in reading order."""
    groups = {}
    for post in posts:
        groups.setdefault(post.scene, []).append(post)
    rows = []
    for scene, scene_posts in groups.items():
        names = sorted({p.character.name if p.character else p.author.name for p in scene_posts})
        url = settings.SITE_URL + scene.chapter.get_absolute_url()
        words = sum(p.word_count for p in scene_posts)
        rows.append(
            {"scene": scene, "url": url, "count": len(scene_posts), "words": words, "names": names}
        )
    return rows


def _send_comment(note):
    comment = note.comment
    story = comment.chapter.story
    still_writer = Membership.objects.active().filter(story=story, user=note.user).exists()
    if comment.status != Comment.Status.APPROVED or not still_writer:
        return 0
    if not note.user.notify_on_comment:
        return 0
    context = {
        "story": story,
        "chapter": comment.chapter,
        "comment": comment,
        "text": excerpt(comment.body_html, 600),
        "comment_url": settings.SITE_URL + comment.get_absolute_url(),
        "preferences_url": settings.SITE_URL + reverse("preferences"),
    }
    send_to_user(note.user, "new_comment", context)
    return 1
