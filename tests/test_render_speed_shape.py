"""The shape of the reading pages' cost (issue 13, "Faster without the cache"): what grows
with the number of posts must be only the posts themselves. No query, no URL reversed and
no template lookup that fails, per post; no column loaded that the page never prints."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolvers, reverse

from tests.factories import make_chapter, make_character, make_post, make_scene
from threads.models import Post

SENTINEL = "@@MISSING-VARIABLE@@"
# The page cache never answers a request with credentials: this renders each time.
UNCACHED = {"HTTP_AUTHORIZATION": "Render speed tests"}


def add_posts(scene, characters, count, narrator):
    """``count`` posts: in character, alternating, with narration, OOC and a skip among
    them, so every branch of the post template runs."""
    for n in range(count):
        if n % 10 == 3:
            make_post(scene, author=narrator, body=f"Narration {n}.")
        elif n % 10 == 6:
            make_post(scene, author=narrator, kind=Post.Kind.OUT_OF_CHARACTER, body="((brb))")
        elif n % 10 == 8:
            make_post(scene, author=narrator, character=characters[0], kind=Post.Kind.SKIP)
        else:
            make_post(scene, character=characters[n % 2], body=f"Turn {n} & more.")


@pytest.fixture
def chapters(story, owner, cowriter, owner_character, cowriter_character):
    """Chapter 1 with 10 posts, chapter 2 with 40, by the same two writers."""
    characters = [owner_character, cowriter_character]
    for count in (10, 40):
        scene = make_scene(make_chapter(story), characters=characters)
        add_posts(scene, characters, count, narrator=owner)
    return story


def chapter_url(story, number, ooc=False):
    return reverse("chapter_detail", args=[story.slug, number]) + ("?ooc=1" if ooc else "")


@pytest.fixture
def sentinel(settings):
    """Any variable a template looks up and does not find prints the sentinel."""
    settings.TEMPLATES = [
        {**engine, "OPTIONS": {**engine["OPTIONS"], "string_if_invalid": SENTINEL}}
        for engine in settings.TEMPLATES
    ]


@pytest.fixture
def failed_lookups(caplog):
    """The template engine's own record of each lookup that raised and was caught."""
    caplog.set_level(logging.DEBUG, logger="django.template")

    def lookups(template_names):
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == "django.template" and any(n in r.getMessage() for n in template_names)
        ]

    return lookups


READER_TEMPLATES = (
    "threads/chapter_detail.html",
    "threads/story_full.html",
    "threads/_scenes.html",
    "threads/_post.html",
)


@pytest.mark.parametrize("ooc", [False, True], ids=["story text", "with OOC and skips"])
def test_chapter_page_looks_up_no_variable_it_lacks(
    client, chapters, owner, sentinel, failed_lookups, ooc
):
    anonymous = client.get(chapter_url(chapters, 1, ooc), **UNCACHED)
    client.force_login(owner)
    member = client.get(chapter_url(chapters, 1, ooc))
    for page in (anonymous, member):
        assert page.status_code == 200
        assert SENTINEL not in page.content.decode()
        assert "Turn 0 &amp; more." in page.content.decode()
    assert failed_lookups(READER_TEMPLATES) == []


def test_whole_story_looks_up_no_variable_it_lacks(client, chapters, sentinel, failed_lookups):
    page = client.get(reverse("story_full", args=[chapters.slug]), **UNCACHED)
    assert page.status_code == 200
    assert SENTINEL not in page.content.decode()
    assert failed_lookups(READER_TEMPLATES) == []


def test_long_chapter_makes_as_many_queries_as_a_short_one(client, chapters):
    counts = []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(chapter_url(chapters, number, ooc=True), **UNCACHED).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("ooc", [False, True], ids=["story text", "with OOC and skips"])
def test_chapter_page_reverses_urls_per_writer_not_per_post(client, chapters, monkeypatch, ooc):
    calls = []
    real = resolvers.URLResolver._reverse_with_prefix

    def counted(self, lookup_view, *args, **kwargs):
        calls.append(lookup_view)
        return real(self, lookup_view, *args, **kwargs)

    monkeypatch.setattr(resolvers.URLResolver, "_reverse_with_prefix", counted)
    reversed_per_page = []
    for number in (1, 2):
        calls.clear()
        assert client.get(chapter_url(chapters, number, ooc), **UNCACHED).status_code == 200
        reversed_per_page.append(len(calls))
    assert reversed_per_page[0] == reversed_per_page[1]


def test_chapter_page_loads_no_password_hash_nor_post_source(client, chapters):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(chapter_url(chapters, 2, ooc=True), **UNCACHED)
    assert page.status_code == 200
    assert "Turn 39 &amp; more." in page.content.decode()
    loaded = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"password"' not in loaded
    assert '"threads_post"."body",' not in loaded


def test_portrait_and_credits_are_printed_for_each_post(client, story, owner, cowriter):
    painted = make_character(owner=owner, name="Vesna Morozova")
    painted.portrait_thumb.name = "portraits/thumbs/vesna.png"
    painted.save(update_fields=["portrait_thumb"])
    plain = make_character(owner=cowriter, name="Ilya Kuznetsov")
    scene = make_scene(make_chapter(story), characters=[painted, plain])
    make_post(scene, character=painted, body="First.")
    make_post(scene, character=plain, body="Second.")
    html = client.get(chapter_url(story, 1), **UNCACHED).content.decode()
    assert html.count('src="/media/portraits/thumbs/vesna.png"') == 1
    assert html.count('aria-hidden="true">IK</span>') == 1
    assert html.count(f'href="{painted.get_absolute_url()}"') == 1
    assert html.count(f'href="{owner.get_absolute_url()}" dir="auto">Mira</a>') == 1
    assert html.count(f'href="{cowriter.get_absolute_url()}" dir="auto">Teo</a>') == 1


def test_names_in_posts_are_escaped_and_bodies_are_the_sanitized_html(
    client, story, owner, stranger
):
    owner.display_name = '<b>Mira & "co"</b>'
    owner.save(update_fields=["display_name"])
    character = make_character(owner=owner, name="<i>Vesna</i>")
    scene = make_scene(make_chapter(story), characters=[character])
    add_posts(scene, [character, character], 10, narrator=owner)
    make_post(scene, character=character, body="Hello <script>alert(1)</script> *there*")
    for reader, action in ((None, None), (owner, "Edit"), (stranger, "Report")):
        if reader:
            client.force_login(reader)
        html = client.get(chapter_url(story, 1, ooc=True), **UNCACHED).content.decode()
        assert "<b>Mira" not in html and "<i>Vesna" not in html and "<script>alert" not in html
        assert 'dir="auto">&lt;b&gt;Mira &amp; &quot;co&quot;&lt;/b&gt;</a>' in html
        assert 'dir="auto">&lt;i&gt;Vesna&lt;/i&gt;</a>' in html
        assert "skipped <bdi>&lt;i&gt;Vesna&lt;/i&gt;</bdi>" in html
        assert "<em>there</em>" in html
        if action:
            assert (
                html.count(f'{action}<span class="visually-hidden"> post #') == 10
            )  # not the skip
