"""Downloads from the story page: the story as its reader may see it (EPUB, one HTML file,
Markdown, and the public JSON at story.json), and the owner's full JSON backup.

Each reader download looks the story up as the reading pages do (``readable_story``:
a 404 for strangers to a draft, a log-in for anonymous readers of a registered-only
story, the notice before Mature and Explicit stories), and its text comes from
threads.interchange.reader_copy, which follows the reading pages' QuerySets.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from threads.interchange import archive
from threads.interchange.epub import write_epub
from threads.interchange.html import write_html
from threads.interchange.markdown import write_markdown
from threads.interchange.reader_copy import reader_copy
from threads.views.access import (
    adult_interstitial,
    asks_login_for_registered_stories,
    needs_adult_consent,
    owned_story,
    readable_story,
)
from threads.views.pagecache import cache_for_readers

READER_FORMATS = {
    "epub": (write_epub, "application/epub+zip"),
    "html": (write_html, "text/html; charset=utf-8"),
    "md": (write_markdown, "text/markdown; charset=utf-8"),
}
JSON = "application/json; charset=utf-8"


@cache_for_readers("story")
@asks_login_for_registered_stories
def story_download(request, slug, fmt):
    """The story as this reader may read it, as a file to keep."""
    if fmt not in READER_FORMATS:
        raise Http404("No such format.")
    story = readable_story(request, slug)
    if needs_adult_consent(request, story):
        return adult_interstitial(request, story)
    write, content_type = READER_FORMATS[fmt]
    content = write(reader_copy(story, request.user))
    return _file(content, content_type, f"{story.slug}.{fmt}")


@cache_for_readers("story")
@asks_login_for_registered_stories
def story_json(request, slug):
    """The archive's read-only API: the public rp-archive/1 copy, shown inline."""
    story = readable_story(request, slug)
    if needs_adult_consent(request, story):
        return adult_interstitial(request, story)
    data = archive.public(reader_copy(story, request.user))
    return HttpResponse(archive.dumps(data), content_type=JSON)


@login_required
def story_backup(request, slug):
    """The owner's full backup, for ``manage.py import_story``."""
    story, _ = owned_story(request, slug)
    return _file(archive.dumps(archive.backup(story)), JSON, f"{story.slug}.json")


def _file(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
