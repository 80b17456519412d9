"""Keeping the search index (threads.models.SearchEntry) in step with the archive.

Called where text or what readers see changes: ``index_posts`` from the reading frontier
(threads/writing/frontier.py ``refresh``, which runs whenever a post is published or
unpublished) and after an edit replaces a published post's text; ``index_story`` after a
story or chapter is created or edited (threads/writing/structure.py, the story form);
``index_characters`` after a character is saved. ``rebuild`` builds everything again, in
bulk (manage.py rebuild_search_index, seed_demo, the bench).

Only published story text is indexed; story visibility and chapter publication are checked
again when searching, so neither needs the index rewritten.
"""

import html
import re

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import F

from threads.models import Chapter, Character, Membership, Post, SearchEntry, Story

Kind = SearchEntry.Kind

# PostgreSQL's built-in text search configurations, by language code. Anything else gets
# "simple": no stemming and no stop words, which suits every script.
CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
SIMPLE = "simple"
BATCH = 2000
# Inline tags vanish ("*ford*." stays "ford."); any other tag separates words.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|del|em|i|s|span|strong|sub|sup)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


def config_for(language):
    """The text search configuration for a story's language code ("en", "pt-br")."""
    code = (language or "").lower()
    return CONFIGS.get(code) or CONFIGS.get(code.split("-")[0]) or SIMPLE


def plain_text(rendered_html):
    """The words of sanitized, stored HTML. Tags become spaces, so paragraphs stay apart."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", rendered_html or ""))
    return " ".join(html.unescape(text).split())


def index_posts(post_ids):
    """Index these posts as they are now: published story text in, anything else out."""
    post_ids = list(post_ids)
    if not post_ids:
        return
    SearchEntry.objects.filter(kind=Kind.POST, object_id__in=post_ids).delete()
    posts = (
        Post.objects.for_readers()
        .filter(pk__in=post_ids)
        .select_related("scene__chapter__story")
        .only(*_POST_FIELDS)
    )
    _save([_post_entry(post) for post in posts])


def index_story(story_id):
    """Index a story's title and summary and its chapters' titles and summaries; when the
    story's language changed, every row of the story takes the new configuration."""
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        return
    SearchEntry.objects.filter(story_id=story_id, kind__in=[Kind.STORY, Kind.CHAPTER]).delete()
    owners = _owners([story_id])
    entries = [_story_entry(story, owners.get(story_id))]
    entries += [_chapter_entry(chapter, story) for chapter in story.chapters.all()]
    _save(entries)
    stale = SearchEntry.objects.filter(story_id=story_id).exclude(config=config_for(story.language))
    if stale.exists():
        stale.update(config=config_for(story.language))
        _vectorize(SearchEntry.objects.filter(story_id=story_id))


def index_characters(character_ids):
    character_ids = list(character_ids)
    SearchEntry.objects.filter(kind=Kind.CHARACTER, object_id__in=character_ids).delete()
    _save([_character_entry(c) for c in Character.objects.filter(pk__in=character_ids)])


def rebuild():
    """Build the whole index again, in batches of bulk inserts. Returns the rows written."""
    SearchEntry.objects.all().delete()
    stories = Story.objects.only("pk", "title", "summary_html", "language", "updated_at")
    owners = _owners(None)
    written = _save_all(_story_entry(story, owners.get(story.pk)) for story in stories)
    chapters = Chapter.objects.select_related("story").only(
        "pk", "title", "summary_html", "number", "published_at", "created_at", "story__language"
    )
    written += _save_all(_chapter_entry(chapter, chapter.story) for chapter in chapters)
    posts = Post.objects.for_readers().select_related("scene__chapter__story").only(*_POST_FIELDS)
    written += _save_all(_post_entry(post) for post in posts.iterator(chunk_size=BATCH))
    written += _save_all(_character_entry(c) for c in Character.objects.all())
    return written


# --- Rows ------------------------------------------------------------------------------

_POST_FIELDS = (
    "author_id",
    "character_id",
    "body_html",
    "published_at",
    "scene__chapter__story__language",
)


def _post_entry(post):
    chapter = post.scene.chapter
    return SearchEntry(
        kind=Kind.POST,
        object_id=post.pk,
        story_id=chapter.story_id,
        chapter_id=chapter.pk,
        post_id=post.pk,
        character_id=post.character_id,
        author_id=post.author_id,
        config=config_for(chapter.story.language),
        title="",  # a post is found by its own words, not its story's title
        body=plain_text(post.body_html),
        dated=post.published_at,
    )


def _story_entry(story, owner_id):
    return SearchEntry(
        kind=Kind.STORY,
        object_id=story.pk,
        story_id=story.pk,
        author_id=owner_id,
        config=config_for(story.language),
        title=story.title,
        body=plain_text(story.summary_html),
        dated=story.updated_at,
    )


def _chapter_entry(chapter, story):
    return SearchEntry(
        kind=Kind.CHAPTER,
        object_id=chapter.pk,
        story_id=chapter.story_id,
        chapter_id=chapter.pk,
        config=config_for(story.language),
        title=chapter.title,
        body=plain_text(chapter.summary_html),
        dated=chapter.published_at or chapter.created_at,
    )


def _character_entry(character):
    # A character belongs to no story, so no language: "simple" matches names as written.
    return SearchEntry(
        kind=Kind.CHARACTER,
        object_id=character.pk,
        character_id=character.pk,
        author_id=character.owner_id,
        config=SIMPLE,
        title=character.name,
        body=character.tagline,
        dated=character.created_at,
    )


def _owners(story_ids):
    owners = Membership.objects.filter(role=Membership.Role.OWNER)
    if story_ids is not None:
        owners = owners.filter(story_id__in=story_ids)
    return dict(owners.values_list("story_id", "user_id"))


# --- Writing ---------------------------------------------------------------------------


def _save(entries):
    """Insert the rows; on PostgreSQL compute their vectors (SQLite's FTS5 triggers index
    them as they go in)."""
    if not entries:
        return 0
    created = SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    if connection.vendor == "postgresql":
        _vectorize(SearchEntry.objects.filter(pk__in=[entry.pk for entry in created]))
    return len(created)


def _save_all(entries):
    written, batch = 0, []
    for entry in entries:
        batch.append(entry)
        if len(batch) == BATCH:
            written += _save(batch)
            batch = []
    return written + _save(batch)


def _vectorize(entries):
    if connection.vendor != "postgresql":
        return
    config = F("config")
    entries.update(
        vector=SearchVector("title", weight="A", config=config)
        + SearchVector("body", weight="B", config=config)
    )
