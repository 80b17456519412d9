"""Markdown in, safe HTML out: the one place user text becomes HTML.

Writers type Markdown. It is rendered once, when the object is saved, and stored beside the
source (``body_html``, ``summary_html``, ``description_html``) by ``RendersMarkdown``, the one
mixin every such model uses, or by ``render_markdown_fields`` for rows made by bulk_create.
Templates print that stored HTML and nothing else user-written. To change the sanitizer,
change this module.
"""

import functools
import math
import re
from functools import partial

import bleach
import markdown
from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter
from django.utils.html import format_html, format_html_join

from threads.lib import markup_bounds

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "i",
        "strong",
        "b",
        "del",
        "s",
        "blockquote",
        "ul",
        "ol",
        "li",
        "hr",
        "a",
        "code",
        "pre",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# nl2br: a single line break inside a paragraph is kept, as writers expect from chat and forums.
MARKDOWN_EXTENSIONS = ["nl2br", "sane_lists", "fenced_code"]


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


# Reader-insert ------------------------------------------------------------------------------
# A second-person story's writers type a placeholder ("Y/N") where the reader's name goes. The
# sanitizer's last step wraps each one in INSERT_SPAN, after the allowlist has run: writers
# cannot type such a span themselves (span is not allowed), only this filter makes one. The
# reader's browser fills the name in as text (static/js/reader-insert.js); without JavaScript
# the placeholder shows as written. The default tokens are wrapped in every text, so stored
# HTML needs no story to be right; a story's own tokens come in through ``placeholders``.
DEFAULT_PLACEHOLDERS = ("Y/N", "{{user}}")
DEFAULT_PLACEHOLDERS_TEXT = ", ".join(DEFAULT_PLACEHOLDERS)
MAX_PLACEHOLDERS = 10
INSERT_CLASS = "rp-insert"
# Link text and code show what the writer typed: a URL or an example stays as written.
_NO_INSERT_IN = frozenset({"a", "code", "pre"})


def parse_placeholders(text):
    """The placeholders in an owner's comma-separated list, without blanks or repeats."""
    seen = {}
    for token in (text or "").split(","):
        token = token.strip()
        if token and token.casefold() not in seen:
            seen[token.casefold()] = token
    return tuple(seen.values())[:MAX_PLACEHOLDERS]


@functools.lru_cache(maxsize=64)
def _placeholder_pattern(placeholders):
    """One pattern for all the tokens, longest first; a token that starts or ends with a
    letter must stand alone there, so "Y/N" is not found inside "XY/Nope"."""
    parts = []
    for token in sorted(set(placeholders), key=len, reverse=True):
        start = r"(?<!\w)" if re.match(r"\w", token) else ""
        end = r"(?!\w)" if re.search(r"\w$", token) else ""
        parts.append(start + re.escape(token) + end)
    return re.compile("|".join(parts), re.IGNORECASE)


def _all_placeholders(placeholders):
    return tuple(dict.fromkeys((*DEFAULT_PLACEHOLDERS, *placeholders)))


class PlaceholderFilter(html5lib_shim.Filter):
    """Wrap reader-insert placeholders in the text of sanitized HTML (not in attributes,
    link text or code) in ``<span class="rp-insert" data-insert>``."""

    def __init__(self, source, placeholders=DEFAULT_PLACEHOLDERS):
        super().__init__(source)
        self.pattern = _placeholder_pattern(_all_placeholders(placeholders))

    def __iter__(self):
        skipping, text = 0, []
        for token in super().__iter__():
            if token["type"] in ("Characters", "SpaceCharacters"):
                text.append(token["data"])
                continue
            yield from self._wrapped("".join(text), skipping)
            text = []
            if token.get("name") in _NO_INSERT_IN:
                skipping += {"StartTag": 1, "EndTag": -1}.get(token["type"], 0)
            yield token
        yield from self._wrapped("".join(text), skipping)

    def _wrapped(self, text, skipping):
        if not text:
            return
        if skipping:
            yield {"type": "Characters", "data": text}
            return
        end = 0
        for match in self.pattern.finditer(text):
            if match.start() > end:
                yield {"type": "Characters", "data": text[end : match.start()]}
            attrs = {(None, "class"): INSERT_CLASS, (None, "data-insert"): ""}
            yield {"type": "StartTag", "name": "span", "namespace": None, "data": attrs}
            yield {"type": "Characters", "data": match.group()}
            yield {"type": "EndTag", "name": "span", "namespace": None}
            end = match.end()
        if end < len(text):
            yield {"type": "Characters", "data": text[end:]}


def insert_spans(text, placeholders=()):
    """Plain text (a title) as HTML with its placeholders wrapped like rendered Markdown's;
    everything else escaped."""
    pattern = _placeholder_pattern(_all_placeholders(placeholders))
    pieces, end = [], 0
    for match in pattern.finditer(text or ""):
        pieces.append((text[end : match.start()], ""))
        pieces.append(("", match.group()))
        end = match.end()
    pieces.append(((text or "")[end:], ""))
    return format_html_join(
        "", "{}{}", ((plain, _insert_span(token) if token else "") for plain, token in pieces)
    )


def _insert_span(token):
    return format_html('<span class="rp-insert" data-insert="">{}</span>', token)


@functools.lru_cache(maxsize=64)
def _cleaner(placeholders=()):
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}),
            partial(PlaceholderFilter, placeholders=placeholders),
        ],
    )


# Headings would shout over the story's own chapter and scene titles: a "# line" becomes a
# bold paragraph instead of vanishing into bare text.
_HEADING = re.compile(r"<h[1-6]>(.*?)</h[1-6]>", re.DOTALL)


def render(text, placeholders=()):
    """Return sanitized HTML for a Markdown ``text``; an empty string for empty text.
    ``placeholders``: a reader-insert story's own tokens, wrapped beside the default ones."""
    if not text or not text.strip():
        return ""
    if len(text) <= _SURELY_WITHIN_BOUNDS:
        simple = render_simple(text, placeholders)
        if simple is not None:
            return simple
    if markup_bounds.problem(text):
        return render_plain(text, placeholders)
    return render_markdown(text, placeholders)


def render_markdown(text, placeholders=()):
    """The full path: Markdown, then the sanitizer (``render`` bounds the cost first)."""
    try:
        html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
        html = _HEADING.sub(r"<p><strong>\1</strong></p>", html)
        return _cleaner(tuple(placeholders)).clean(html)
    except RecursionError:
        # The bounds keep nesting far from the stack's limit; this is the last defence.
        return render_plain(text, placeholders)


# The fast path -------------------------------------------------------------------------------
# Most posts (a whole imported Discord channel) are plain prose: paragraphs and line breaks,
# nothing Markdown or the sanitizer would change but two escapes (& and >). For those,
# Markdown and bleach's HTML parser cost about a millisecond a post to produce what a few
# string operations produce. The test for plain prose is deliberately narrow: anything that
# could be Markdown (a mark anywhere, a line that could open a block), an entity, a tag, a
# link the linkifier would find (bleach links bare domains such as "example.org" and even
# "notes.py", so any dot or colon run into a word), white space at either end of a line
# (breaks, code blocks, the stripping Markdown does) or a character the HTML parser treats
# specially sends the text down the full path. The one mark it takes is the emphasis a chat
# message uses for actions and stress: ``*word*`` or ``**a few words**`` inside one line, the
# stars against the words they wrap and against white space or punctuation outside them; any
# other star (a list, a rule, a star inside a word or left over) sends the text down the full
# path too. tests/test_markup_fast_path.py compares both paths on generated text, byte for
# byte.
_NOT_SIMPLE = re.compile(
    r"[\\`_\[\]<~\x00-\x09\x0b-\x1f\x7f-\x9f"
    r"\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff]"
    r"|&[#\w]*;|\.\w|:/"
)
# Prose the fast path takes has no [, ], < nor a line that opens a list or quote or is
# indented, so of markup_bounds' measures only its lines, marks and runs without a space can
# grow: none past its bound in text shorter than the square root of the runs' budget. Such
# text skips the bounds' six passes (longer text is measured first, as ever).
_SURELY_WITHIN_BOUNDS = min(
    math.isqrt(markup_bounds.RUN_BUDGET), markup_bounds.MAX_LINES, markup_bounds.MAX_MARKS
)
# What opens a block at the start of a line: headings, quotes, lists, rules, setext
# underlines, numbered lists ("1." or "1)"), tables and the like.
_BLOCK_START = re.compile(r"[#>+=|:-]|\d+[.)]")


# ``*x*`` or ``**x**``: x neither starts nor ends with white space and holds no star; no word
# character or star touches the stars outside.
_SIMPLE_EMPHASIS = re.compile(r"(?<![\w*])(\*\*?)(?=[^\s*])([^*]*?[^\s*])\1(?![\w*])")
_EMPHASIS_TAG = {"*": "em", "**": "strong"}


def render_simple(text, placeholders=()):
    """What ``render_markdown`` returns for ``text``, made without Markdown or an HTML
    parser, when ``text`` is plain prose; None otherwise (the caller then renders it in
    full). ``text`` must be within markup_bounds (``render`` makes sure of that)."""
    pattern = _placeholder_pattern(_all_placeholders(placeholders))
    if _NOT_SIMPLE.search(text):
        return None
    paragraphs = []
    for block in re.split(r"\n{2,}", text.strip("\n")):
        lines = block.split("\n")
        for line in lines:
            if line[0].isspace() or line[-1].isspace() or _BLOCK_START.match(line):
                return None
        try:
            paragraphs.append("<p>" + "<br>\n".join(_simple_line(line, pattern) for line in lines))
        except _NotSimple:
            return None
    return "</p>\n".join(paragraphs) + "</p>"


def _simple_line(line, pattern):
    """One line of plain prose as the sanitizer prints it: ``&`` and ``>`` escaped (``<``
    never gets here), placeholders wrapped, simple emphasis made ``<em>`` or ``<strong>``.
    Raises _NotSimple at a star it does not take."""
    if "*" not in line:
        return _simple_text(line, pattern)
    pieces, end = [], 0
    for match in _SIMPLE_EMPHASIS.finditer(line):
        tag = _EMPHASIS_TAG[match.group(1)]
        pieces.append(_simple_text(line[end : match.start()], pattern))
        pieces.append(f"<{tag}>{_simple_text(match.group(2), pattern)}</{tag}>")
        end = match.end()
    pieces.append(_simple_text(line[end:], pattern))
    if any("*" in piece for piece in pieces[::2]):
        raise _NotSimple
    return "".join(pieces)


class _NotSimple(Exception):
    """A line the fast path cannot render as the full path would."""


def _simple_text(line, pattern):
    """Text between tags: escaped, placeholders wrapped (each run of text on its own, as
    the sanitizer's filter sees it)."""
    if pattern.search(line) is None:
        return _escape_text(line)
    pieces, end = [], 0
    for match in pattern.finditer(line):
        pieces.append(_escape_text(line[end : match.start()]))
        pieces.append(f'<span class="{INSERT_CLASS}" data-insert="">')
        pieces.append(_escape_text(match.group()) + "</span>")
        end = match.end()
    pieces.append(_escape_text(line[end:]))
    return "".join(pieces)


def _escape_text(text):
    return text.replace("&", "&amp;").replace(">", "&gt;")


def check(text):
    """Raise ValueError with a sentence for the writer if ``text`` is too costly to render
    as Markdown (see markup_bounds); forms call it so the writer keeps their text."""
    reason = markup_bounds.problem(text)
    if reason:
        raise ValueError(reason)


def render_plain(text, placeholders=()):
    """``text`` as escaped paragraphs and line breaks (reader-insert placeholders wrapped),
    in time that grows linearly: how text that Markdown cannot render in bounded time is
    shown (imports, restores)."""
    html = str(insert_spans(text.replace("\r\n", "\n"), placeholders))
    return "\n".join(
        "<p>" + paragraph.strip("\n").replace("\n", "<br>\n") + "</p>"
        for paragraph in re.split(r"\n[ \t]*\n", html)
        if paragraph.strip()
    )


def count_words(text):
    """Words as a reader counts them: runs of characters between white space."""
    return len(text.split()) if text else 0


# Rendering on save ---------------------------------------------------------------------------

# Where a model instance keeps the source values its stored HTML was rendered from.
_RENDERED_FROM = "_markdown_rendered_from"


class RendersMarkdown:
    """Mix into a model that stores rendered Markdown beside its source, declared as
    ``rendered_fields = {"body": "body_html"}``. Saving renders a source only when it is
    being saved and differs from the value the instance was loaded with, so a save of
    ``update_fields=["status"]`` never renders a long text again. A model that keeps more
    in step with a source (a word count) overrides ``source_rendered``.
    """

    rendered_fields: dict[str, str] = {}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        _remember_sources(instance)
        return instance

    def refresh_from_db(self, *args, fields=None, **kwargs):
        super().refresh_from_db(*args, fields=fields, **kwargs)
        _remember_sources(self, fields)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        written = render_markdown_fields(self, update_fields)
        if update_fields is not None and written:
            kwargs["update_fields"] = {*update_fields, *written}
        super().save(*args, **kwargs)
        _remember_sources(self, update_fields)

    def source_rendered(self, source):
        """Called after ``source`` was rendered; returns other fields it changed."""
        return ()

    def markdown_placeholders(self):
        """The reader-insert tokens of this object's story, beyond the default ones."""
        return ()


def render_markdown_fields(instance, update_fields=None):
    """Render the instance's changed Markdown sources (all of them on an instance not
    loaded from the database) and return the fields written. Call it on unsaved instances
    before ``bulk_create``, which bypasses ``save()``. With ``update_fields``, only the
    sources among them are rendered."""
    rendered_from = instance.__dict__.get(_RENDERED_FROM, {})
    written = []
    for source, html_field in instance.rendered_fields.items():
        if update_fields is not None and source not in update_fields:
            continue
        if source not in instance.__dict__:
            continue  # deferred and never read, so not changed either
        value = instance.__dict__[source]
        if source in rendered_from and rendered_from[source] == value:
            continue
        placeholders = instance.markdown_placeholders()
        html = render(value, placeholders) if placeholders else render(value)
        setattr(instance, html_field, html)
        written += [html_field, *instance.source_rendered(source)]
    return written


def _remember_sources(instance, fields=None):
    """Note the sources' values as the database now holds them (``fields``: only those)."""
    # A new dict each time: copy.copy() of an instance shares the old one.
    rendered_from = dict(instance.__dict__.get(_RENDERED_FROM, {}))
    for source in instance.rendered_fields:
        if source in instance.__dict__ and (fields is None or source in fields):
            rendered_from[source] = instance.__dict__[source]
    instance.__dict__[_RENDERED_FROM] = rendered_from
