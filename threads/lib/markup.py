"""Markdown in, safe HTML out: the one place user text becomes HTML.

Writers type Markdown. It is rendered once, when the object is saved, and stored beside the
source (``body_html``, ``summary_html``, ``description_html``) by ``RendersMarkdown``, the one
mixin every such model uses, or by ``render_markdown_fields`` for rows made by bulk_create.
Templates print that stored HTML and nothing else user-written. To change the sanitizer,
change this module.
"""

import re
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

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


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"})],
)


# Headings would shout over the story's own chapter and scene titles: a "# line" becomes a
# bold paragraph instead of vanishing into bare text.
_HEADING = re.compile(r"<h[1-6]>(.*?)</h[1-6]>", re.DOTALL)


def render(text):
    """Return sanitized HTML for a Markdown ``text``; an empty string for empty text."""
    if not text or not text.strip():
        return ""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = _HEADING.sub(r"<p><strong>\1</strong></p>", html)
    return _cleaner.clean(html)


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
        setattr(instance, html_field, render(value))
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
