"""One HTML file of a reader copy, readable offline: the site's reading styles inlined and
portraits embedded as data: URIs, so it needs nothing but itself."""

import base64

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .reader_copy import mark_portraits, portrait_image

READING_STYLES = ("css/site.css",)
EXPORT_STYLE = """
.export { max-width: var(--measure); margin: 0 auto; padding: 1rem; font-family: var(--serif); }
.export .portrait { width: 2em; height: 2em; vertical-align: middle; border-radius: 50%; }
.export .credit, .export .setting { color: var(--muted); font-style: italic; }
"""


def write_html(copy):
    """The HTML file's text."""
    sources = {}
    for character in copy.characters:
        image = portrait_image(character)
        if image is not None:
            data, media_type, _ = image
            sources[character.pk] = f"data:{media_type};base64,{base64.b64encode(data).decode()}"
    mark_portraits(copy, sources)
    return render_to_string(
        "threads/export/story.html",
        {"story": copy.story, "copy": copy, "styles": _styles()},
    )


def _styles():
    """Our own style sheets' text. Safe to print unescaped: it is the site's CSS, never
    anything a user wrote."""
    sheets = []
    for name in READING_STYLES:
        path = finders.find(name)
        if path:
            with open(path, encoding="utf-8") as handle:
                sheets.append(handle.read())
    return mark_safe("\n".join([*sheets, EXPORT_STYLE]))  # noqa: S308
