"""Short plain-text excerpts of stored, rendered HTML (a post's ``body_html``), for lists that
show a glimpse of each post. Plain text, never marked safe: templates escape it wherever it is
printed, so no markup from a post reaches the page."""

import html

from django.utils.html import strip_tags


def excerpt(rendered_html: str, chars: int = 300) -> str:
    """The text of ``rendered_html`` with its whitespace collapsed, cut near ``chars``
    characters (at a space, unless the text has none late enough to use: some scripts do not
    separate words). Entities are decoded (``&amp;`` → ``&``) so that escaping on output
    shows them once, not as ``&amp;amp;``."""
    text = " ".join(html.unescape(strip_tags(rendered_html)).split())
    if len(text) <= chars:
        return text
    cut = text[:chars]
    if " " in cut[chars // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:—-") + "…"
