"""The comments, following and "who wrote what" panels, on reading pages whose views belong
to others (the chapter and story pages). Each tag makes a fixed number of queries."""

from django import template

from threads.forms.comments import CommentForm
from threads.library import comments, stats, subscriptions
from threads.models import Membership, Mute, Subscription

register = template.Library()


@register.inclusion_tag("threads/library/comments/_chapter_comments.html", takes_context=True)
def chapter_comments(context, chapter):
    request = context["request"]
    user, story = request.user, chapter.story
    shown = comments.shown_to(story, user)
    chapter_comments = comments.for_chapter(chapter, user) if shown else []
    # The writers' ids mark their comments: not asked for when there are none. Whether the
    # reader is one of them, the story already knows (the page asked it).
    writers = comments.writer_ids(story) if chapter_comments else set()
    return {
        "request": request,
        "user": user,
        "story": story,
        "chapter": chapter,
        "csrf_token": context.get("csrf_token"),
        "shown": shown,
        "comments": chapter_comments,
        "refusal": comments.refusal(story, user) if shown and user.is_authenticated else None,
        "form": CommentForm() if user.is_authenticated else None,  # only they see the form
        "is_writer": story.membership_of(user) is not None,
        "writer_ids": writers,
    }


@register.inclusion_tag("threads/library/comments/_story_follow.html", takes_context=True)
def story_follow(context, story):
    """Following the story, and muting its writers, for a signed-in reader."""
    request = context["request"]
    user = request.user
    writers = []
    muted = set()
    if user.is_authenticated:
        writers = [
            m.user
            for m in Membership.objects.active()
            .filter(story=story)
            .exclude(user=user)
            .select_related("user")
        ]
        muted = set(Mute.objects.filter(reader=user).values_list("writer_id", flat=True))
    return {
        "request": request,
        "user": user,
        "story": story,
        "csrf_token": context.get("csrf_token"),
        "subscription": subscriptions.subscription_of(user, story),
        "modes": Subscription.Mode.choices,
        "writers": writers,
        "muted": muted,
    }


@register.inclusion_tag("threads/library/_story_stats.html")
def story_stats(story):
    return {"story": story, "stats": stats.panel(story)}
