"""Where a signed-in reader is in each story: saved from the chapter page as they scroll
(static/js/reading-position.js), offered back as "continue reading"."""

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from threads.models import Chapter, Post, ReadingPosition


def reader_post(chapter, scene_id, number):
    """The published story post (not OOC, not a skip) at this place in the chapter, or None."""
    return (
        Post.objects.for_readers()
        .filter(scene__chapter=chapter, scene_id=scene_id, number=number)
        .first()
    )


def record(user, chapter, post=None):
    """Remember ``chapter`` (and ``post`` in it) as where ``user`` is in its story."""
    ReadingPosition.objects.update_or_create(
        user=user,
        story_id=chapter.story_id,
        defaults={"chapter": chapter, "post": post, "updated_at": timezone.now()},
    )


def anchor(position):
    """The URL that lands on the saved post, or the chapter's start when there is none."""
    url = position.chapter.get_absolute_url()
    post = position.post
    if post is not None and post.published_at is not None:
        url += f"#post-{post.scene_id}-{post.number}"
    return url


def history(user):
    """The user's positions in stories they may still read, most recent first, with how
    far: ``chapter_place`` (the chapter's place among the published ones) of
    ``chapter_total``. A fixed number of queries however long the list."""
    published = Chapter.objects.filter(story=OuterRef("story"), is_published=True)
    total = published.order_by().values("story").annotate(n=Count("pk")).values("n")
    place = (
        published.filter(number__lte=OuterRef("chapter__number"))
        .order_by()
        .values("story")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ReadingPosition.objects.readable_by(user)
        .select_related("story", "chapter__story", "post__character", "post__scene")
        .annotate(chapter_total=Subquery(total), chapter_place=Subquery(place))
        .order_by("-updated_at", "-pk")
    )


def position_in(user, story):
    """The user's position in ``story``, if any and its chapter is still published."""
    if not user.is_authenticated:
        return None
    return (
        ReadingPosition.objects.filter(user=user, story=story, chapter__is_published=True)
        .select_related("chapter__story", "post")
        .first()
    )
