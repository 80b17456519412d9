"""The search index: one row per thing a reader can find (a published post, a story, a
chapter, a character), with its text flattened to plain words.

Rows are written only by threads/discovery/indexing.py. What a reader may see is decided
again at query time (threads/discovery/search.py), so a row that outlives a change of
visibility still never shows: the index speeds search up, it does not grant access.

On PostgreSQL ``vector`` holds the row's tsvector (title weighted above body), built with
the text search configuration of the story's language and served by a GIN index. On SQLite
``vector`` stays empty: an FTS5 table, created and kept in step by triggers in the
migration, indexes ``title`` and ``body`` instead.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Posts"
        STORY = "story", "Stories"
        CHAPTER = "chapter", "Chapters"
        CHARACTER = "character", "Characters"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # What the row belongs to, for filters, links and the visibility checks at query time.
    story = models.ForeignKey(
        "threads.Story", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    chapter = models.ForeignKey(
        "threads.Chapter", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "threads.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    character = models.ForeignKey(
        "threads.Character", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    config = models.CharField("text search configuration", max_length=20, default="simple")
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    dated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once"),
        ]
        indexes = [
            GinIndex(fields=["vector"], name="search_entry_vector"),
            models.Index(fields=["story", "kind"], name="search_entry_story"),
            # The newest matches of a very common word, found without reading every match
            # (threads/discovery/search.py MAX_RANKED).
            models.Index(fields=["-dated", "-id"], name="search_entry_dated"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}: {self.title}"
