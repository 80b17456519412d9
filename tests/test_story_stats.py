"""'Who wrote what': counts only published story text in published chapters, in a number
of queries that does not grow with posts, with every name escaped in the SVG."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_chapter, make_character, make_pending_post, make_post, make_scene
from threads.library import stats
from threads.models import Post

pytestmark = pytest.mark.django_db


def queries_for(story):
    with CaptureQueriesContext(connection) as captured:
        stats.panel(story)
    return len(captured)


def test_the_query_count_is_flat_from_5_to_200_posts(cast):
    for _ in range(5):
        make_post(cast.scene, character=cast.aleksei)
    few = queries_for(cast.story)
    Post.objects.bulk_create(
        Post(
            scene=cast.scene,
            number=100 + i,
            author=cast.teo,
            character=cast.lucia,
            body="w",
            word_count=1,
            status="approved",
            published_at=cast.scene.created_at,
        )
        for i in range(195)
    )
    assert queries_for(cast.story) == few


def test_only_published_posts_in_published_chapters_count(cast):
    make_post(cast.scene, character=cast.aleksei, body="one two three")
    make_post(cast.scene, author=cast.teo, kind=Post.Kind.OUT_OF_CHARACTER, body="ooc ooc")
    make_pending_post(cast.scene, cast.lucia, body="pending pending")
    make_post(cast.scene, character=cast.aleksei, body="behind the frontier")
    draft = make_chapter(cast.story, is_published=False)
    make_post(make_scene(draft), author=cast.teo, body="draft words here")
    writers = stats.by_writer(cast.story)
    assert [(row.name, row.words, row.posts) for row in writers] == [("Mira", 3, 1)]


def test_names_are_escaped_in_the_svg(cast):
    evil = make_character(cast.teo, name="<script>alert(1)</script>")
    make_post(cast.scene, character=cast.aleksei, body="a")
    make_post(cast.scene, character=evil, body="b")
    panel = stats.panel(cast.story)
    assert "<script>" not in panel["character_chart"]
    assert "&lt;script&gt;" in panel["character_chart"]
    assert "<title>" in panel["writer_chart"]


def test_the_story_page_shows_the_chart_and_the_table(client, cast):
    make_post(cast.scene, character=cast.aleksei, body="one two")
    page = client.get(cast.story.get_absolute_url()).content.decode()
    assert "Who wrote what" in page and "<svg" in page and "<details>" in page
