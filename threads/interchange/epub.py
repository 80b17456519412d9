"""EPUB 3 of a reader copy, made with ebooklib: a title page, a table of contents, one
file per chapter, portraits as images. Valid for epubcheck with no errors or warnings."""

import io

from django.template.loader import render_to_string
from ebooklib import epub

from .reader_copy import mark_portraits, portrait_image

STYLE = """
body { font-family: serif; line-height: 1.5; }
h1, h2, h3 { font-family: sans-serif; }
.byline, .credit, .setting { color: #555; font-style: italic; }
.post { margin: 0 0 1.2em; }
.post-header { margin-bottom: 0.3em; }
.portrait { width: 2em; height: 2em; vertical-align: middle; }
.scene-break { border: 0; text-align: center; }
dt { font-weight: bold; }
""".strip()


def write_epub(copy):
    """The EPUB file's bytes."""
    story = copy.story
    book = epub.EpubBook()
    book.set_identifier(f"rp-archive:{story.slug}")
    book.set_title(story.title)
    book.set_language(story.language)
    for number, writer in enumerate(copy.writers, start=1):
        book.add_author(writer.name, uid=f"creator-{number}")
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode()
    )
    book.add_item(style)
    _add_portraits(book, copy)
    title_page = _page(book, style, "title.xhtml", story.title, copy, "_title_page.html", {})
    chapters = [
        _page(
            book,
            style,
            f"chapter-{chapter.number}.xhtml",
            f"Chapter {chapter.number}: {chapter.title}",
            copy,
            "_chapter.html",
            {"chapter": chapter, "level": 1},
        )
        for chapter in copy.chapters
    ]
    book.toc = [epub.Link(title_page.file_name, "Title page", "title"), *chapters]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [title_page, "nav", *chapters]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {})
    return buffer.getvalue()


def _page(book, style, file_name, title, copy, template, extra):
    body = render_to_string(
        f"threads/export/{template}", {"story": copy.story, "copy": copy, **extra}
    )
    page = epub.EpubHtml(title=title, file_name=file_name, lang=copy.story.language)
    page.content = f"<html><body>{body}</body></html>"
    page.add_item(style)
    book.add_item(page)
    return page


def _add_portraits(book, copy):
    """One image file per character with a portrait, named by its place in the cast."""
    sources = {}
    for number, character in enumerate(copy.characters, start=1):
        image = portrait_image(character)
        if image is None:
            continue
        data, media_type, extension = image
        file_name = f"images/portrait-{number}.{extension}"
        book.add_item(
            epub.EpubImage(
                uid=f"portrait-{number}",
                file_name=file_name,
                media_type=media_type,
                content=data,
            )
        )
        sources[character.pk] = file_name
    mark_portraits(copy, sources)
