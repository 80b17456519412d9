"""A story card (written by threads/views/story_cards.py)
shows the same facts on every list of stories: title, writers, rating, warnings, status,
counts, last update, summary and tags, each escaped."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import make_chapter, make_story, make_user
from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.models import Membership, Story


@pytest.fixture
def story(owner, cowriter):
    story = make_story(
        owner=owner,
        members=[cowriter],
        title="Tea & <Cake>",
        summary="A *quiet* harbour.",
        rating="mature",
        warnings=["violence", "death"],
        status=Story.Status.COMPLETE,
        tags=["sea", "море"],
    )
    make_chapter(story)
    make_chapter(story)
    make_chapter(story, is_published=False)
    Story.objects.filter(pk=story.pk).update(
        word_count=12345,
        kudos_count=1000,
        updated_at=datetime(2025, 3, 7, 23, 30, tzinfo=UTC),
    )
    return story


EXPECTED = [
    '<h3 class="story-card-title"><a href="/stories/tea-cake/" dir="auto">Tea &amp; &lt;Cake&gt;'
    "</a></h3>",
    '<p class="byline">by <a href="/writers/mira/" dir="auto">Mira</a>, '
    '<a href="/writers/teo/" dir="auto">Teo</a></p>',
    '<dd class="rating rating-mature">Mature</dd>',
    "<dt>Warnings</dt><dd>Graphic violence, Major character death</dd>",
    "<dt>Status</dt><dd>Complete</dd>",
    "<dt>Words</dt><dd>12,345</dd>",
    "<dt>Chapters</dt><dd>2</dd>",
    "<dt>Kudos</dt><dd>1,000</dd>",
    '<time datetime="2025-03-07T23:30:00+00:00">7 Mar 2025</time>',
    '<div class="summary" dir="auto"><p>A <em>quiet</em> harbour.</p></div>',
    '<li><a href="/stories/?tag=sea" dir="auto">sea</a></li>'
    '<li><a href="/stories/?tag=%D0%BC%D0%BE%D1%80%D0%B5" dir="auto">море</a></li>',
]


@pytest.mark.parametrize(
    "page",
    [
        lambda story: reverse("home"),
        lambda story: reverse("story_list"),
        lambda story: reverse("tag_detail", args=["sea"]),
        lambda story: reverse("writer_detail", args=["teo"]),
    ],
)
def test_every_list_shows_the_storys_card(client, story, page):
    html = client.get(page(story)).content.decode()
    for part in EXPECTED:
        assert part in html


def test_a_card_without_active_writers_credits_nobody_by_name(client, story):
    story.memberships.update(status=Membership.Status.REMOVED)
    html = client.get(reverse("story_list")).content.decode()
    assert '<p class="byline">by unknown</p>' in html


def test_a_card_without_warnings_tags_or_summary_leaves_them_out(client, owner):
    make_chapter(make_story(owner=owner, title="Plain"))
    html = client.get(reverse("story_list")).content.decode()
    assert "<dt>Warnings</dt>" not in html
    assert 'class="tags"' not in html
    assert 'class="summary"' not in html


def test_a_writer_is_shown_by_their_display_name_escaped(client, story):
    Membership.objects.create(
        story=story, user=make_user("rua", display_name="Rúa <i>"), status=Membership.Status.ACTIVE
    )
    html = client.get(reverse("story_list")).content.decode()
    assert '<a href="/writers/rua/" dir="auto">Rúa &lt;i&gt;</a></p>' in html
