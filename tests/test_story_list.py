"""The story list's filters and sorts, each alone and together, from the query string: tags
to include (all) and exclude, rating, warnings to leave out, status, language, a word-count
range, writer and character; sorted by last updated, newest, words, title and kudos. And a
query ceiling that does not grow with the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_chapter, make_character, make_scene, make_story, make_user
from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.models import Rating, Story

NOW = timezone.now()


def titles(client, **query):
    response = client.get(reverse("story_list"), query)
    assert response.status_code == 200
    return [story.title for story in response.context["stories"]]


def _story(title, owner, *, tags=(), words=0, kudos=0, age=0, updated=0, **fields):
    story = make_story(owner=owner, title=title, tags=list(tags), **fields)
    make_chapter(story)
    Story.objects.filter(pk=story.pk).update(
        word_count=words,
        kudos_count=kudos,
        created_at=NOW - timedelta(days=age),
        updated_at=NOW - timedelta(days=updated),
    )
    return story


@pytest.fixture
def shelf(owner, cowriter):
    """Four stories that differ in every filtered field."""
    harbour = _story(
        "Harbour Lights", owner, tags=["sea", "found family"], words=1200, kudos=3, age=9,
        updated=1, rating=Rating.GENERAL,
    )  # fmt: skip
    ember = _story(
        "Ember Court", owner, tags=["court", "found family"], words=50_000, kudos=40, age=5,
        updated=3, rating=Rating.MATURE, warnings=["violence", "death"],
    )  # fmt: skip
    _story(
        "Finished Ferry", cowriter, tags=["sea"], words=8000, kudos=0, age=1, updated=2,
        rating=Rating.TEEN, status=Story.Status.COMPLETE, warnings=["violence"],
    )  # fmt: skip
    _story(
        "Морской ветер", cowriter, tags=["sea", "море"], words=300, kudos=7, age=3, updated=4,
        language="ru", status=Story.Status.HIATUS,
    )  # fmt: skip
    wren = make_character(owner, name="Wren Adair")
    make_scene(harbour.chapters.first(), [wren])
    make_scene(ember.chapters.first(), [wren])
    return wren


ALL = ["Harbour Lights", "Finished Ferry", "Ember Court", "Морской ветер"]  # by last update


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ALL),
        ({"tag": "sea"}, ["Harbour Lights", "Finished Ferry", "Морской ветер"]),
        ({"tag": "sea, found family"}, ["Harbour Lights"]),
        ({"tag": ["sea", "found-family"]}, ["Harbour Lights"]),
        ({"tag": "sea, nobody-uses-this"}, []),
        ({"exclude_tag": "sea"}, ["Ember Court"]),
        ({"exclude_tag": "court, море"}, ["Harbour Lights", "Finished Ferry"]),
        ({"tag": "sea", "exclude_tag": "found family"}, ["Finished Ferry", "Морской ветер"]),
        ({"rating": "mature"}, ["Ember Court"]),
        ({"exclude_warning": "violence"}, ["Harbour Lights", "Морской ветер"]),
        ({"exclude_warning": "death"}, ["Harbour Lights", "Finished Ferry", "Морской ветер"]),
        ({"exclude_warning": ["death", "violence"]}, ["Harbour Lights", "Морской ветер"]),
        ({"status": "complete"}, ["Finished Ferry"]),
        ({"status": "hiatus"}, ["Морской ветер"]),
        ({"language": "ru"}, ["Морской ветер"]),
        ({"words_min": "1200"}, ["Harbour Lights", "Finished Ferry", "Ember Court"]),
        ({"words_max": "1200"}, ["Harbour Lights", "Морской ветер"]),
        ({"words_min": "1000", "words_max": "10000"}, ["Harbour Lights", "Finished Ferry"]),
        ({"writer": "mira"}, ["Harbour Lights", "Ember Court"]),
        ({"writer": "@teo"}, ["Finished Ferry", "Морской ветер"]),
        ({"writer": "nobody"}, []),
        ({"character": "wren-adair"}, ["Harbour Lights", "Ember Court"]),
        ({"character": "Wren Adair"}, ["Harbour Lights", "Ember Court"]),
        ({"tag": "sea", "character": "wren-adair", "rating": "general"}, ["Harbour Lights"]),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else None,
)
def test_each_filter_narrows_the_list(client, shelf, query, expected):
    assert titles(client, **query) == expected


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("updated", ALL),
        ("new", ["Finished Ferry", "Морской ветер", "Ember Court", "Harbour Lights"]),
        ("words", ["Ember Court", "Finished Ferry", "Harbour Lights", "Морской ветер"]),
        ("title", ["Ember Court", "Finished Ferry", "Harbour Lights", "Морской ветер"]),
        ("kudos", ["Ember Court", "Морской ветер", "Harbour Lights", "Finished Ferry"]),
    ],
)
def test_each_sort_orders_the_list(client, shelf, sort, expected):
    assert titles(client, sort=sort) == expected


def test_a_character_counts_only_in_published_chapters(client, shelf, owner):
    draft = make_chapter(Story.objects.get(title="Finished Ferry"), is_published=False)
    make_scene(draft, [shelf])
    assert "Finished Ferry" not in titles(client, character="wren-adair")


def test_a_removed_member_is_no_longer_the_stories_writer(client, shelf, cowriter):
    story = Story.objects.get(title="Finished Ferry")
    story.memberships.get(user=cowriter).mark_removed()
    assert titles(client, writer="teo") == ["Морской ветер"]


def test_the_form_shows_the_filters_it_applied(client, shelf):
    page = client.get(
        reverse("story_list"), {"tag": ["sea", "found family"], "exclude_warning": "violence"}
    ).content.decode()
    assert 'value="sea, found family"' in page
    assert 'name="exclude_warning" value="violence"' in page and "checked" in page
    assert 'list="' not in page  # suggestions are added by the script, not needed without it


def test_nonsense_is_ignored_field_by_field(client, shelf):
    assert titles(client, words_min="lots", rating="zzz", sort="DROP", tag="sea") == [
        "Harbour Lights",
        "Finished Ferry",
        "Морской ветер",
    ]
    assert titles(client, exclude_warning="dragons") == ALL
    assert titles(client, words_max="-1", language="xx") == ALL


def test_pages_keep_every_filter(client, owner):
    for n in range(22):
        _story(f"Sea {n:02}", owner, tags=["sea"], words=500)
    response = client.get(reverse("story_list"), {"tag": "sea", "words_min": 100, "sort": "title"})
    assert (
        'href="?tag=sea&amp;words_min=100&amp;sort=title&amp;page=2"' in response.content.decode()
    )


def test_the_list_keeps_to_a_fixed_number_of_queries(client, owner, django_assert_max_num_queries):
    query = {
        "tag": "sea",
        "exclude_tag": "court",
        "exclude_warning": ["violence", "death"],
        "rating": "general",
        "words_min": 10,
        "writer": "mira",
        "character": "wren",
        "sort": "kudos",
    }
    wren = make_character(owner, name="Wren")
    total = 0
    for size in (2, 15):
        for n in range(size):
            story = _story(
                f"Sea {size}-{n}", owner, tags=["sea", f"t{size}-{n}"], words=99, rating="general"
            )
            make_scene(story.chapters.first(), [wren])
            story.memberships.create(user=make_user(), status="active")
        total += size
        # 5, the page cache's generation, and two for the tags named and their synonyms.
        with django_assert_max_num_queries(8):
            response = client.get(reverse("story_list"), query)
        assert len(response.context["stories"]) == min(20, total)
