"""Full-text search over what readers may read.

A query is parsed once (``parse``) into words, quoted phrases and -excluded words, which
both databases receive in a form they cannot misread: PostgreSQL gets them as a cleaned
``websearch_to_tsquery`` string, once per text search configuration in use; SQLite gets an
FTS5 expression with every term quoted. Raw user text never reaches either parser.

Visibility is decided here, at query time, by the same QuerySets as every reading page:
``Story.objects.readable_by`` with a published chapter, published chapters, and
``Post.objects.for_readers()``. The index only makes it fast.
"""

import functools
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, When
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join

from threads.models import Participant, Post, SearchEntry, Story

from .feeds import post_url
from .indexing import SIMPLE, config_for

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """Terms to find, each a tuple of words (one word, or a phrase), and terms to leave out."""

    terms: tuple = ()
    excluded: tuple = ()
    too_long: bool = False

    @property
    def is_empty(self):
        return not self.terms

    @property
    def words(self):
        return [word for term in self.terms for word in term]

    def websearch(self):
        """The query as websearch_to_tsquery text: quoted phrases, -words left out."""
        found = [f'"{" ".join(term)}"' for term in self.terms]
        return " ".join(found + [f'-"{" ".join(term)}"' for term in self.excluded])

    def fts5(self):
        """The query as an FTS5 expression; every term quoted, so nothing is an operator."""
        found = " AND ".join(f'"{" ".join(term)}"' for term in self.terms)
        if not self.excluded:
            return found
        left_out = " OR ".join(f'"{" ".join(term)}"' for term in self.excluded)
        return f"({found}) NOT ({left_out})"


def parse(raw):
    """Words and "quoted phrases" to find, -words to leave out. Punctuation, operators and
    control characters (NUL included) are dropped; past MAX_QUERY_CHARS the query is cut."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    too_long = len(text) > MAX_QUERY_CHARS
    terms, excluded = [], []
    for minus, phrase, minus_word, word in _TERM.findall(text[:MAX_QUERY_CHARS]):
        words = tuple(w.lower() for w in _WORD.findall(phrase or word))
        if words:
            (excluded if (minus or minus_word) else terms).append(words)
    return Query(tuple(terms[:MAX_TERMS]), tuple(excluded[:MAX_TERMS]), too_long)


def visible_entries(user):
    """Index rows of what ``user`` may read: text of readable stories with a published
    chapter, in published chapters, from published story posts; and characters who appear
    in such a chapter. Two QuerySets, searched one after the other (``Visible``)."""
    stories = (
        Story.objects.readable_by(user).not_muted_by(user).with_published_chapters().values("pk")
    )
    texts = SearchEntry.objects.exclude(kind=SearchEntry.Kind.CHARACTER).filter(
        Q(story__in=stories)
        & (Q(chapter__isnull=True) | Q(chapter__is_published=True))
        & (
            Q(post__isnull=True)
            | Q(post__published_at__isnull=False, post__kind__in=Post.STORY_KINDS)
        )
    )
    appears = Participant.objects.filter(
        character=OuterRef("character"),
        scene__chapter__is_published=True,
        scene__chapter__story__in=stories,
    )
    characters = SearchEntry.objects.filter(Exists(appears), kind=SearchEntry.Kind.CHARACTER)
    return Visible(texts, characters)


@dataclass(frozen=True)
class Visible:
    """The entries a reader may find, as two QuerySets searched apart. In one query's OR,
    PostgreSQL could not check a matching character's appearances one by one, and worked
    out every visible character instead (46 ms at 10,000 stories, for one match)."""

    texts: QuerySet  # stories, chapters and posts
    characters: QuerySet

    def filter(self, **lookups):
        return Visible(self.texts.filter(**lookups), self.characters.filter(**lookups))

    def parts(self):
        return (self.texts, self.characters)


# Ranking every match of a very common word would read and rank tens of thousands of rows.
# The newest matches are taken, at most this many (an index on the date finds them without
# reading the rest), and ranked; past it the page says there are more.
MAX_RANKED = 1000


@dataclass(frozen=True)
class Found:
    ids: list  # the matching entries' ids, best first
    more: bool  # more than MAX_RANKED matched: ``ids`` are the best of the newest


def search(entries, query):
    """The ids of ``entries`` (``Visible``) matching ``query``, best first, in a query for
    each part: the newest matches are taken, their ranks and dates read, and sorted here."""
    newest = _newest_postgres if connection.vendor == "postgresql" else _newest_sqlite
    rows = sorted(newest(entries, query, MAX_RANKED + 1), reverse=True)[: MAX_RANKED + 1]
    more = len(rows) > MAX_RANKED
    best_first = sorted(((rank, dated, pk) for dated, pk, rank in rows[:MAX_RANKED]), reverse=True)
    return Found([pk for _, _, pk in best_first], more)


def entries_for(ids):
    """The entries of these ids, in this order, with the related rows a result shows (see
    ``results``). ``ids`` come from ``search``, which decided what the reader may see."""
    found = SearchEntry.objects.filter(pk__in=ids).select_related(
        "story", "chapter", "post", "character", "author"
    )
    found = {entry.pk: entry for entry in found.only(*_SHOWN)}
    return [found[pk] for pk in ids if pk in found]


# What a result shows and links to; a post's words come from the entry's own plain text.
_SHOWN = (
    *("kind", "title", "body"),
    *("story__title", "story__slug", "chapter__number", "chapter__title"),
    *("post__scene", "post__number", "character__name", "character__slug"),
    *("author__username", "author__display_name"),
)


def _newest_postgres(entries, query, count):
    """(dated, pk, rank) of the newest ``count`` matches in each part of ``entries``. They
    are ranked once taken: ranking every match of a common word cost more than the rest."""
    # Each row was indexed with its story's configuration, so each configuration in use
    # gets its own query; every branch is served by the GIN index.
    configs = sorted({SIMPLE} | {config_for(code) for code in _languages()})
    queries = [
        (config, SearchQuery(query.websearch(), config=config, search_type="websearch"))
        for config in configs
    ]
    condition = Q()
    for config, tsquery in queries:
        condition |= Q(config=config, vector=tsquery)
    rank = Case(
        *(
            When(config=config, then=SearchRank(F("vector"), tsquery))
            for config, tsquery in queries
        ),
        output_field=FloatField(),
    )
    rows = []
    for part in entries.parts():
        newest = part.filter(condition).order_by("-dated", "-pk").values("pk")[:count]
        ranked = SearchEntry.objects.filter(pk__in=newest).annotate(rank=rank)
        rows += ranked.values_list("dated", "pk", "rank")
    return rows


def _newest_sqlite(entries, query, count):
    """(dated, pk, rank) of the newest ``count`` matches in each part of ``entries``."""
    # A join with the FTS5 table, so SQLite starts from the matching rows and ranks them in
    # one pass (a correlated subquery per row took seconds on a common word). extra(), since
    # the ORM cannot join a virtual table; the SQL is literal and the expression is bound.
    # bm25 is lower for better matches; a title match weighs four times a body's.
    rows = []
    for part in entries.parts():
        found = part.extra(  # noqa: S610
            tables=["threads_searchentry_fts"],
            where=[
                "threads_searchentry_fts.rowid = threads_searchentry.id",
                "threads_searchentry_fts MATCH %s",
            ],
            params=[query.fts5()],
            select={"rank": "-bm25(threads_searchentry_fts, 4.0, 1.0)"},
        )
        rows += found.order_by("-dated", "-pk").values_list("dated", "pk", "rank")[:count]
    return rows


def _languages():
    return Story.objects.order_by().values_list("language", flat=True).distinct()


# --- Highlighting ----------------------------------------------------------------------

SNIPPET_CHARS = 240


def highlight(text, query, width=None):
    """``text`` escaped, with the query's words wrapped in <mark>; cut to a window of
    ``width`` characters around the first match when given. Safe HTML built only with
    format_html, so the user's text is always escaped."""
    pattern = _pattern(query)
    found = pattern.search(text) if pattern else None
    prefix = suffix = ""
    if width and len(text) > width:
        start = max(0, found.start() - width // 3) if found else 0
        if start:
            start = text.find(" ", start) + 1 or start
            prefix = "…"
        end = start + width
        if end < len(text):
            suffix = "…"
        text = text[start:end]
    pieces, last = [], 0
    for match in pattern.finditer(text) if pattern else ():
        pieces.append((text[last : match.start()], match.group()))
        last = match.end()
    marked = format_html_join("", "{}<mark>{}</mark>", pieces)
    return format_html("{}{}{}{}", prefix, marked, escape(text[last:]), suffix)


@functools.lru_cache(maxsize=64)  # twice a result, twenty results a page
def _pattern(query):
    """Matches words that start like a query word: "lanterns" also marks "lantern",
    roughly as the stemmers match them."""
    stems = {word[: max(4, len(word) - 2)] for word in query.words}
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


# --- Results ---------------------------------------------------------------------------


KIND_LABELS = {"post": "Post", "story": "Story", "chapter": "Chapter", "character": "Character"}


@dataclass(frozen=True)
class Result:
    entry: SearchEntry
    url: str
    title: str  # safe HTML: escaped, with <mark>
    snippet: str  # safe HTML: escaped, with <mark>

    @property
    def kind(self):
        return self.entry.kind

    @property
    def label(self):
        return KIND_LABELS[self.entry.kind]


def results(entries, query):
    """Each entry as a Result, with its link and highlighted title and snippet. ``entries``
    come from ``entries_for``, with their related rows, so this does not query."""
    return [
        Result(
            entry,
            _url(entry),
            highlight(_title(entry), query),
            highlight(entry.body, query, SNIPPET_CHARS),
        )
        for entry in entries
    ]


def _title(entry):
    if entry.kind == SearchEntry.Kind.POST:
        return f"{entry.story.title} · Chapter {entry.chapter.number}: {entry.chapter.title}"
    return entry.title


def _url(entry):
    Kind = SearchEntry.Kind
    if entry.kind == Kind.POST:
        return post_url(entry.story, entry.chapter, entry.post)
    if entry.kind == Kind.CHAPTER:
        return reverse("chapter_detail", args=[entry.story.slug, entry.chapter.number])
    if entry.kind == Kind.STORY:
        return entry.story.get_absolute_url()
    return entry.character.get_absolute_url()
