"""The chapter reader's mode: story text only, or with OOC notes and skipped turns too.

Chosen by a query parameter (``?ooc=1`` / ``?ooc=0``), so it works without JavaScript and
each version of an anonymous page is one cacheable URL. Story text only is the default for
readers; the story's own members see everything, as on the scene page."""

from threads.models import Post

PARAMETER = "ooc"


def shows_all_posts(request, membership):
    choice = request.GET.get(PARAMETER)
    if choice in ("0", "1"):
        return choice == "1"
    return membership is not None


def chapter_posts(show_all):
    """The chapter reader's posts: published ones, OOC and skips only in the full mode."""
    posts = Post.objects.published() if show_all else Post.objects.for_readers()
    return posts.with_credit_columns().order_by("number")
