"""Markdown in, safe HTML out: the one place user text becomes HTML.

Writers type Markdown. It is rendered once, when the object is saved, and stored beside the
source (``body_html``, ``summary_html``, ``description_html``). Templates print that stored HTML
and nothing else user-written. To change the sanitizer, change this module.
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
