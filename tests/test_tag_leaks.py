"""Nothing a reader may not see reaches them through the tag index, tag pages, tag counts,
tag suggestions, the story list and its filters, or a writer's or a character's page.

The world is tests.test_discovery_leaks' (every hidden kind with its marker word), with the
markers put where these channels could show them: each hidden story also carries a tag
named after its marker, a story whose only chapter is unpublished joins it (its title and
tag carry the unpublished-chapter marker), and the character known only from a
members-only story is tagged too. Post-level kinds carry their markers in post text, which
these channels never print; their words must not count either (the last tests)."""

import pytest
from django.urls import reverse

from tests.factories import make_chapter, make_post, make_scene, make_story
from tests.test_discovery_leaks import HIDDEN, world  # noqa: F401 - the shared fixture
from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.models import Character, Post, Story

STORY_KINDS = {
    "members-only story",
    "registered-only story",
    "unpublished chapter",
    "character only in a members-only story",
}


@pytest.fixture
def tagged_world(world):  # noqa: F811 - pytest's fixture by name
    mark = {kind: marker for kind, (marker, _) in HIDDEN.items()}
    for kind in ("members-only story", "registered-only story"):
        Story.objects.get(title__contains=mark[kind]).tags.add(mark[kind])
    draft_only = make_story(
        owner=world.mira,
        title=f"The {mark['unpublished chapter']} lantern",
        tags=["lanterns", mark["unpublished chapter"]],
    )
    scene = make_scene(make_chapter(draft_only, is_published=False), [world.aleksei])
    make_post(scene, character=world.aleksei, body="A draft lantern.")
    loner = Character.objects.get(name__contains=mark["character only in a members-only story"])
    loner.tags.add("lanterns", mark["character only in a members-only story"])
    world.aleksei.tags.add("lanterns")
    return world


def _page(client, url, **query):
    response = client.get(url, query)
    return response.content.decode() if response.status_code == 200 else ""


def tag_index(client, marker):
    return _page(client, reverse("tag_index"))


def tag_pages(client, marker):
    shared = _page(client, reverse("tag_detail", args=["lanterns"]))
    return shared + _page(client, reverse("tag_detail", args=[marker]))


def tag_counts(client, marker):
    """The shared tag's counts, on the index and its page, written out beside any count of
    the marker's own tag: a hidden story counted shows as a number the visible ones miss."""
    cloud = {
        item.tag.name: item.count for item in client.get(reverse("tag_index")).context["cloud"]
    }
    page = client.get(reverse("tag_detail", args=["lanterns"]))
    visible = len(Story.objects.readable_by(page.wsgi_request.user).with_published_chapters())
    counts = {cloud.get("lanterns"), page.context["page"].paginator.count}
    wrong = counts != {visible} or marker in cloud
    return f"{marker}: {counts} != {visible}" if wrong else ""


def tag_suggestions(client, marker):
    return str(client.get(reverse("tag_suggest"), {"q": marker[:5]}).json())


def story_list(client, marker):
    return _page(client, reverse("story_list"))


def story_list_filters(client, marker):
    """The list filtered every way. Asked for the marker's tag, the page echoes the marker
    in its heading and form, so only the stories listed are read."""
    by_marker = client.get(reverse("story_list"), {"tag": marker}).context["stories"]
    listed = " ".join(f"{story.title} {story.summary}" for story in by_marker)
    asked = [
        {"tag": "lanterns"},
        {"exclude_tag": "nothing"},
        {"writer": "mira"},
        {"character": "aleksei-varga"},
        {"words_min": 0, "sort": "words"},
        {"rating": "not_rated", "language": "en", "status": "in_progress"},
    ]
    return listed + "".join(_page(client, reverse("story_list"), **query) for query in asked)


def writer_page(client, marker):
    return _page(client, reverse("writer_detail", args=["mira"]))


def character_page(client, marker):
    return _page(client, reverse("character_detail", args=["aleksei-varga"]))


CHANNELS = [
    tag_index,
    tag_pages,
    tag_counts,
    tag_suggestions,
    story_list,
    story_list_filters,
    writer_page,
    character_page,
]


def leaks(client, kinds):
    return [
        (kind, channel.__name__)
        for kind in kinds
        for channel in CHANNELS
        if HIDDEN[kind][0] in channel(client, HIDDEN[kind][0]).lower()
    ]


def test_hidden_stories_and_tags_reach_no_anonymous_reader(client, tagged_world):
    assert leaks(client, HIDDEN) == []


def test_hidden_stories_and_tags_reach_no_signed_in_stranger(client, tagged_world, stranger):
    client.force_login(stranger)
    assert leaks(client, [kind for kind, (_, strangers) in HIDDEN.items() if strangers]) == []


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda channel: channel.__name__)
def test_every_channel_shows_what_it_may(client, tagged_world, channel):
    """The table would pass on empty pages: each channel does show the visible story, its
    tag or its count."""
    if channel is tag_counts:
        assert channel(client, "shownmark") == ""
        assert client.get(reverse("tag_index")).context["cloud"]
    elif channel is tag_suggestions:
        assert "lanterns" in channel(client, "lanterns")
    elif channel is tag_index:
        assert 'href="/tags/lanterns/"' in channel(client, "lanterns")
    elif channel is tag_pages:
        assert "The Lantern Road" in channel(client, "lanterns")
        assert "Aleksei Varga" in channel(client, "lanterns")
    else:
        assert "The Lantern Road" in channel(client, "lanterns")


def test_a_member_finds_the_hidden_story_by_its_tag(client, tagged_world):
    client.force_login(tagged_world.mira)
    assert "membersmark" in tag_pages(client, "membersmark").lower()
    assert "membersmark" in tag_index(client, "membersmark")
    assert tag_counts(client, "shownmark") == ""


def test_hidden_posts_words_count_nowhere(client, tagged_world):
    """Every post-level hidden kind sits in the visible story's first chapter. The card's
    word count and the words filter see only published text."""
    story = tagged_world.story
    published = sum(
        post.word_count
        for post in Post.objects.for_readers().filter(scene__chapter__story=story)
        if post.scene.chapter.is_published
    )
    hidden = Post.objects.filter(scene__chapter__story=story).exclude(
        pk__in=Post.objects.for_readers().values("pk")
    )
    assert hidden.count() >= 6 and sum(p.word_count for p in hidden) > 0
    listed = client.get(reverse("story_list"), {"words_min": published + 1})
    assert story not in list(listed.context["stories"])
    listed = client.get(reverse("story_list"), {"words_max": published})
    assert story in list(listed.context["stories"])
