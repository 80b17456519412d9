"""Who wrote what, as a picture: words and posts per writer and per character, and published
posts over time, drawn as inline SVG on the server.

Three aggregate queries whatever the number of posts, over story text readers may see:
published posts in published chapters. The SVG is built with format_html, so every name is
escaped; it draws in ``currentColor`` so it follows the page's theme and prints.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils.html import format_html, format_html_join

from threads.models import Post

BAR_WIDTH = 240
ROW_HEIGHT = 22
LABEL_WIDTH = 160
SPARK_WIDTH, SPARK_HEIGHT = 300, 40
MAX_ROWS = 12


@dataclass(frozen=True)
class Row:
    name: str
    words: int
    posts: int


def _published(story):
    return Post.objects.for_readers().filter(
        scene__chapter__story=story, scene__chapter__is_published=True
    )


def by_writer(story):
    rows = (
        _published(story)
        .values("author__username", "author__display_name")
        .annotate(words=Sum("word_count"), posts=Count("pk"))
        .order_by("-words", "author__username")
    )
    return [
        Row(r["author__display_name"] or r["author__username"], r["words"] or 0, r["posts"])
        for r in rows
    ]


def by_character(story):
    rows = (
        _published(story)
        .filter(character__isnull=False)
        .values("character__name")
        .annotate(words=Sum("word_count"), posts=Count("pk"))
        .order_by("-words", "character__name")
    )
    return [Row(r["character__name"], r["words"] or 0, r["posts"]) for r in rows]


def by_day(story):
    """[(date, posts published that day)], oldest first."""
    rows = (
        _published(story)
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(posts=Count("pk"))
        .order_by("day")
    )
    return [(r["day"], r["posts"]) for r in rows]


def bar_chart(rows, title):
    """Horizontal bars of words, one per row, labelled with the name and the numbers."""
    rows = rows[:MAX_ROWS]
    top = max((row.words for row in rows), default=0) or 1
    height = ROW_HEIGHT * len(rows)
    bars = format_html_join(
        "",
        '<g transform="translate(0 {})"><text x="0" y="15" class="chart-label">{}</text>'
        '<rect x="{}" y="4" height="14" width="{}" fill="currentColor" opacity="0.7"></rect>'
        '<text x="{}" y="15" class="chart-value">{} words · {} posts</text></g>',
        (
            (
                i * ROW_HEIGHT,
                _short(row.name),
                LABEL_WIDTH,
                max(1, round(BAR_WIDTH * row.words / top)),
                LABEL_WIDTH + max(1, round(BAR_WIDTH * row.words / top)) + 6,
                f"{row.words:,}",
                row.posts,
            )
            for i, row in enumerate(rows)
        ),
    )
    width = LABEL_WIDTH + BAR_WIDTH + 150
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" font-size="12" fill="currentColor">'
        "<title>{}</title>{}</svg>",
        width,
        max(height, ROW_HEIGHT),
        title,
        bars,
    )


def _short(name, limit=24):
    return name if len(name) <= limit else name[: limit - 1] + "…"


def sparkline(days, title):
    """Posts published per day, from the first day to the last, as one line."""
    if not days:
        return ""
    first, last = days[0][0], days[-1][0]
    span = max((last - first).days, 1)
    top = max(count for _, count in days)
    points = " ".join(
        f"{round(SPARK_WIDTH * (day - first).days / span, 1)},"
        f"{round(SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * count / top, 1)}"
        for day, count in days
    )
    return format_html(
        '<svg class="sparkline" role="img" viewBox="0 0 {} {}" width="{}" height="{}">'
        '<title>{}</title><polyline points="{}" fill="none" stroke="currentColor" '
        'stroke-width="1.5"></polyline></svg>',
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        title,
        points,
    )


def panel(story):
    """Everything the story page's panel shows; None when nothing is published yet."""
    writers = by_writer(story)
    if not writers:
        return None
    characters = by_character(story)
    days = by_day(story)
    return {
        "writers": writers,
        "characters": characters,
        "days": days,
        "writer_chart": bar_chart(writers, f"Words per writer in {story.title}"),
        "character_chart": bar_chart(characters, f"Words per character in {story.title}")
        if characters
        else "",
        "sparkline": sparkline(days, f"Posts published per day in {story.title}"),
    }
