"""Reading pages run a fixed number of queries, however many rows they show: the same count
for few and many posts, scenes, chapters and stories, and never more than a ceiling, for an
anonymous reader and for a member of the story alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)

VIEWERS = ["anonymous", "member"]

# The most queries each reading page may run, (anonymous, member), whatever it shows.
# Measured on the shelf below (eight stories; one of three chapters, six scenes each and
# 36 posts), plus three: a query per post, scene or story goes past them. The tests above
# that compare few and many rows are the finer guard.
# An anonymous reader's page that the page cache misses reads its generation first (one
# more query; a hit is that query alone, tests/test_page_cache.py).
CEILINGS = {
    "home": (6, 11),
    "story list": (7, 12),
    # A signed-in reader's story page also reads their place, bookmark, kudos, subscription
    # and mutes, and the who-wrote-what panel runs three aggregates: 20 in all.
    "story page": (9, 21),
    "chapter": (8, 14),
    "whole story": (9, 15),
    "scene page": (10, 17),
    "character page": (7, 12),
    "writer page": (8, 13),
}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def make_library(posts, scenes=2, chapters=1):
    """A public story by two writers with ``chapters`` chapters of ``scenes`` scenes each,
    and ``posts`` posts dealt round the scenes in turn. Returns the story."""
    writers = [make_user(), make_user()]
    characters = [make_character(writer) for writer in writers]
    story = make_story(owner=writers[0], members=[writers[1]])
    all_scenes = [
        make_scene(chapter, characters)
        for chapter in [make_chapter(story) for _ in range(chapters)]
        for _ in range(scenes)
    ]
    for n in range(posts):
        make_post(all_scenes[n % len(all_scenes)], character=characters[n % 2], body=f"Turn {n}.")
    return story


def view_as(client, viewer, story):
    """Log the client in as the story's owner for "member"; leave it anonymous otherwise."""
    client.logout()
    if viewer == "member":
        client.force_login(story.memberships.get(role="owner").user)


def first_chapter(story):
    return story.chapters.order_by("number").first()


def first_scene(story):
    return first_chapter(story).scenes.order_by("position").first()


def same_counts_for(client, stories, url_of):
    """For each viewer, the queries of ``url_of(story)`` for each story: one set per viewer."""
    counts = {}
    for viewer in VIEWERS:
        for story in stories:
            view_as(client, viewer, story)
            counts.setdefault(viewer, set()).add(count_queries(client, url_of(story)))
    return counts


# --- The same count for few and many ----------------------------------------------------


def test_chapter_page_runs_the_same_queries_for_5_and_50_posts(client, db):
    small, large = make_library(5), make_library(50)
    url_of = lambda story: first_chapter(story).get_absolute_url()  # noqa: E731
    counts = same_counts_for(client, [small, large], url_of)
    assert all(len(each) == 1 for each in counts.values()), counts
    assert "Turn 49." in client.get(url_of(large)).content.decode()


def test_chapter_page_runs_the_same_queries_for_1_and_8_scenes(client, db):
    one, eight = make_library(16, scenes=1), make_library(16, scenes=8)
    url_of = lambda story: first_chapter(story).get_absolute_url()  # noqa: E731
    counts = same_counts_for(client, [one, eight], url_of)
    assert all(len(each) == 1 for each in counts.values()), counts


def test_whole_story_runs_the_same_queries_for_few_and_many_chapters_scenes_and_posts(client, db):
    small = make_library(5, scenes=1, chapters=1)
    large = make_library(24, scenes=4, chapters=3)
    url_of = lambda story: f"/stories/{story.slug}/all/"  # noqa: E731
    counts = same_counts_for(client, [small, large], url_of)
    assert all(len(each) == 1 for each in counts.values()), counts


def test_scene_page_runs_the_same_queries_for_5_and_30_posts(client, db):
    small, large = make_library(5, scenes=1), make_library(30, scenes=1)
    url_of = lambda story: first_scene(story).get_absolute_url()  # noqa: E731
    counts = same_counts_for(client, [small, large], url_of)
    assert all(len(each) == 1 for each in counts.values()), counts


@pytest.fixture
def prolific(db):
    """A writer with a character in three stories, each with its own tags; more stories are
    added by ``add_story``."""
    writer = make_user("prolific")
    character = make_character(writer, name="Everywhere")
    stories = [add_story(writer, character, n) for n in range(3)]
    return writer, character, stories


def add_story(writer, character, n):
    story = make_story(owner=writer, members=[make_user()], title=f"Story {n}")
    story.tags.add(f"tag-{n}", "shared")
    scene = make_scene(make_chapter(story), [character])
    make_post(scene, character=character)
    return story


LIST_PAGES = {
    "home": lambda writer, character: "/",
    "story list": lambda writer, character: "/stories/",
    "writer page": lambda writer, character: writer.get_absolute_url(),
    "character page": lambda writer, character: character.get_absolute_url(),
}


def test_list_pages_do_not_grow_with_their_rows(client, prolific):
    writer, character, stories = prolific
    before = list_page_counts(client, writer, character, stories[0])
    for n in range(3, 12):
        add_story(writer, character, n)
    assert list_page_counts(client, writer, character, stories[0]) == before


def list_page_counts(client, writer, character, story):
    counts = {}
    for viewer in VIEWERS:
        view_as(client, viewer, story)
        for page, url_of in LIST_PAGES.items():
            counts[page, viewer] = count_queries(client, url_of(writer, character))
    return counts


def test_story_page_does_not_grow_with_its_chapters_and_cast(client, db):
    story = make_library(2, scenes=1)
    url_of = lambda story: story.get_absolute_url()  # noqa: E731
    before = same_counts_for(client, [story], url_of)
    for _ in range(5):
        make_scene(make_chapter(story), [make_character(make_user())])
    assert same_counts_for(client, [story], url_of) == before


# --- Ceilings ----------------------------------------------------------------------------


@pytest.fixture
def shelf(db):
    """Eight stories; the first has three chapters of six scenes and 36 posts."""
    story = make_library(36, scenes=6, chapters=3)
    for _ in range(7):
        make_library(1, scenes=1)
    return story


READING_PAGES = {
    "home": lambda story: "/",
    "story list": lambda story: "/stories/",
    "story page": lambda story: story.get_absolute_url(),
    "chapter": lambda story: first_chapter(story).get_absolute_url(),
    "whole story": lambda story: f"/stories/{story.slug}/all/",
    "scene page": lambda story: first_scene(story).get_absolute_url(),
    "character page": lambda story: (
        first_scene(story).participants.first().character.get_absolute_url()
    ),
    "writer page": lambda story: story.memberships.get(role="owner").user.get_absolute_url(),
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_reading_page_stays_under_its_ceiling(
    client, shelf, viewer, django_assert_max_num_queries
):
    view_as(client, viewer, shelf)
    for page, url_of in READING_PAGES.items():
        url = url_of(shelf)
        ceiling = CEILINGS[page][VIEWERS.index(viewer)]
        with django_assert_max_num_queries(ceiling, info=f"{page}, {viewer}: {url}"):
            response = client.get(url)
        assert response.status_code == 200, url
