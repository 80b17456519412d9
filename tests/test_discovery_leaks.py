"""Nothing a reader may not see reaches them through search, feeds or the sitemap.

Every hidden kind of text carries its own marker word, in every field it has (titles,
summaries, post text), beside the word "lantern", which visible text carries too: a search
for "lantern" shows whether a hidden text's snippet leaks, a search for the marker whether
the text is found or counted. Each hidden kind is tested against each channel."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
)
from threads import moderation
from threads.discovery import indexing
from threads.models import Post, Report

SHOWN = "shownmark"
# Each hidden kind, with its marker, and whether a signed-in stranger may not see it either.
HIDDEN = {
    "members-only story": ("membersmark", True),
    "character only in a members-only story": ("castmark", True),
    "registered-only story": ("registeredmark", False),
    "unpublished chapter": ("draftchaptermark", True),
    "pending post": ("pendingmark", True),
    "rejected post": ("rejectedmark", True),
    "removed post": ("removedmark", True),
    "withdrawn post": ("withdrawnmark", True),
    "post behind the frontier": ("beyondmark", True),
    "suspended writer's hidden post": ("suspendedmark", True),
}


def text(marker):
    return f"A {marker} lantern by the water."


@pytest.fixture
def world(cast, moderator, stranger):
    """A public story with shown text, and every hidden kind beside it."""
    mark = {kind: marker for kind, (marker, _) in HIDDEN.items()}
    cast.story.tags.add("lanterns")
    make_post(cast.scene, character=cast.aleksei, body=text(SHOWN))
    _hidden_story(
        cast, "members", mark["members-only story"], mark["character only in a members-only story"]
    )
    _hidden_story(cast, "registered", mark["registered-only story"])
    draft = make_chapter(cast.story, title=f"The {mark['unpublished chapter']}", is_published=False)
    make_post(
        make_scene(draft, [cast.aleksei]),
        character=cast.aleksei,
        body=text(mark["unpublished chapter"]),
    )
    _hidden_posts(cast, mark, moderator, stranger)
    return cast


def _hidden_story(cast, visibility, marker, character_marker=None):
    story = make_story(
        owner=cast.mira,
        title=f"The {marker} lantern",
        summary=text(marker),
        visibility=visibility,
        tags=["lanterns"],
    )
    character = cast.aleksei
    if character_marker:
        character = make_character(cast.mira, name=f"Ser {character_marker}", tagline="lantern")
        indexing.index_characters([character.pk])
    scene = make_scene(make_chapter(story, title=f"{marker} chapter"), [character])
    make_post(scene, character=character, body=text(marker))


def _hidden_posts(cast, mark, moderator, stranger):
    chapter = cast.chapter
    # Published first, then taken down through moderation: the index must follow.
    removed = make_post(make_scene(chapter), author=cast.mira, body=text(mark["removed post"]))
    moderation.remove(removed, moderator, "Spam.")
    suspended = make_post(
        make_scene(chapter), author=cast.teo, body=text(mark["suspended writer's hidden post"])
    )
    Report.objects.create(post=suspended, reporter=stranger, reason=Report.Reason.SPAM)
    moderation.resolve_reports(suspended, moderator, "suspend", "Spam account.")
    withdrawn = make_post(
        make_scene(chapter),
        author=cast.mira,
        status=Post.Status.PENDING,
        body=text(mark["withdrawn post"]),
    )
    withdrawn.status = Post.Status.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    make_post(
        make_scene(chapter),
        author=cast.mira,
        status=Post.Status.REJECTED,
        body=text(mark["rejected post"]),
    )
    held = make_scene(chapter)
    make_post(held, author=cast.mira, status=Post.Status.PENDING, body=text(mark["pending post"]))
    make_post(held, author=cast.teo, body=text(mark["post behind the frontier"]))


def _search_page(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response


def _shown_results(response):
    """The results as shown (links, titles, snippets), without the echo of the query."""
    return " ".join(f"{r.url} {r.title} {r.snippet}" for r in response.context["results"])


def search_results(client, marker):
    return _shown_results(_search_page(client, marker))


def search_snippets(client, marker):
    return _shown_results(_search_page(client, "lantern"))


def search_count(client, marker):
    count = _search_page(client, marker).context["page"].paginator.count
    return "" if count == 0 else f"{count} results for {marker}"


def feeds(client, marker):
    urls = [
        reverse("feed_recent_stories"),
        reverse("feed_tag", args=["lanterns"]),
        reverse("feed_story", args=["the-lantern-road"]),
    ]
    return "".join(client.get(url).content.decode() for url in urls)


def sitemap(client, marker):
    return client.get(reverse("sitemap")).content.decode()


CHANNELS = [search_results, search_snippets, search_count, feeds, sitemap]


def leaks(client, kinds, channels):
    """Every (hidden kind, channel) pair whose marker reaches the page."""
    return [
        (kind, channel.__name__)
        for kind in kinds
        for channel in channels
        if HIDDEN[kind][0] in channel(client, HIDDEN[kind][0]).lower()
    ]


def test_hidden_text_reaches_no_anonymous_reader(client, world):
    # One world for the whole table: building it per pair would take a minute.
    assert leaks(client, HIDDEN, CHANNELS) == []


def test_hidden_text_reaches_no_signed_in_stranger(client, world, stranger):
    client.force_login(stranger)
    hidden_from_strangers = [kind for kind, (_, strangers) in HIDDEN.items() if strangers]
    assert leaks(client, hidden_from_strangers, CHANNELS) == []


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda channel: channel.__name__)
def test_every_channel_shows_the_visible_text(client, world, channel):
    """The table above would pass on an empty page; each channel does show what it may."""
    if channel is search_count:
        assert channel(client, SHOWN)
    elif channel is sitemap:
        assert "the-lantern-road" in channel(client, SHOWN)
    else:
        assert SHOWN in channel(client, SHOWN).lower()


def test_a_member_finds_the_members_only_story(client, world):
    client.force_login(world.mira)
    assert "membersmark" in search_results(client, "membersmark").lower()
    assert "registeredmark" in search_results(client, "registeredmark").lower()


def test_hidden_texts_were_indexed_where_the_index_keeps_them(world):
    """Story and chapter rows of hidden stories are in the index (only the query hides them),
    so the tests above exercise the query-time checks, not just an empty index."""
    from threads.models import SearchEntry

    titles = " ".join(SearchEntry.objects.values_list("title", flat=True)).lower()
    assert "membersmark" in titles and "draftchaptermark" in titles


@pytest.mark.parametrize("kind", ["pending post", "removed post", "post behind the frontier"])
def test_a_stale_index_row_of_a_hidden_post_still_does_not_show(client, world, kind):
    """The index holds published posts only, and the search checks again: a row the index
    failed to drop (a crash between the two writes) still never reaches a reader."""
    hidden = Post.objects.get(body__contains=HIDDEN[kind][0])
    stale = indexing._post_entry(hidden)
    stale.dated = hidden.created_at  # never published, so no published_at
    indexing._save([stale])
    assert leaks(client, [kind], [search_results, search_snippets, search_count]) == []
