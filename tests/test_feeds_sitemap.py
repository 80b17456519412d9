"""Atom feeds and sitemap.xml: valid documents, with the entries, authors, dates and
summaries readers' feed software expects, and the pages pointing at their feeds."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import make_chapter, make_post, make_scene, make_story

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    # Atom wants an author on every entry or on the feed.
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    return entries


@pytest.fixture
def told(cast):
    cast.story.summary = "Two travellers & a *river*."
    cast.story.save()
    cast.story.tags.add("river")
    cast.first = make_post(cast.scene, character=cast.aleksei, body="The *ford* was cold.")
    cast.second = make_post(cast.scene, character=cast.lucia, body="Lucia <b>laughed</b>.")
    return cast


def test_recent_stories_feed_is_atom_with_authors_dates_and_summaries(client, told):
    entries = atom(client, reverse("feed_recent_stories"))
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text == "The Lantern Road"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Mira, Teo"
    assert entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}summary").text == "Two travellers & a river."
    assert entry.find(f"{ATOM}category").get("term") == "river"


def test_story_feed_lists_new_posts_and_chapters_newest_first(client, told):
    make_chapter(told.story, title="Across")
    entries = atom(client, reverse("feed_story", args=[told.story.slug]))
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[0] == "Chapter 2: Across"
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    chapter = reverse("chapter_detail", args=[told.story.slug, 1])
    assert f"http://testserver{chapter}#post-{told.scene.pk}-{told.second.number}" in links
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    assert "Lucia laughed." in summaries  # plain text: markup stripped, not escaped twice
    authors = {entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries}
    assert {"Mira", "Teo"} <= authors


def test_a_mature_storys_feed_announces_posts_without_quoting_them(client, told):
    told.story.rating = "explicit"
    told.story.save()
    entries = atom(client, reverse("feed_story", args=[told.story.slug]))
    assert not any("ford" in (e.findtext(f"{ATOM}summary") or "") for e in entries)


def test_tag_feed_lists_the_tags_stories(client, told):
    other = make_story(owner=told.mira, title="Untagged")
    make_scene(make_chapter(other))
    entries = atom(client, reverse("feed_tag", args=["river"]))
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["The Lantern Road"]


def test_feeds_of_unknown_or_private_things_are_not_found(client, told):
    draft = make_story(owner=told.mira, title="Draft", visibility="members")
    make_chapter(draft)
    assert client.get(reverse("feed_story", args=[draft.slug])).status_code == 404
    assert client.get(reverse("feed_story", args=["no-such-story"])).status_code == 404
    assert client.get(reverse("feed_tag", args=["no-such-tag"])).status_code == 404


@pytest.mark.parametrize("stories", [1, 6])
def test_feeds_run_a_fixed_number_of_queries(client, told, stories, django_assert_max_num_queries):
    for n in range(stories):
        story = make_story(owner=told.mira, title=f"More {n}", tags=["river"])
        make_post(make_scene(make_chapter(story)), author=told.mira, body="Words.")
    with django_assert_max_num_queries(5):
        client.get(reverse("feed_recent_stories"))
    with django_assert_max_num_queries(6):  # and one for the tag's synonyms
        client.get(reverse("feed_tag", args=["river"]))
    with django_assert_max_num_queries(5):
        client.get(reverse("feed_story", args=[told.story.slug]))


def test_pages_point_to_their_feeds(client, told):
    story_page = client.get(told.story.get_absolute_url()).content.decode()
    feed = reverse("feed_story", args=[told.story.slug])
    assert '<link rel="alternate" type="application/atom+xml"' in story_page
    assert f'href="{feed}"' in story_page
    chapter_page = client.get(reverse("chapter_detail", args=[told.story.slug, 1]))
    assert f'href="{feed}"' in chapter_page.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("feed_recent_stories")}"' in home


def test_sitemap_lists_stories_chapters_tags_writers_and_characters(client, told):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    locations = {loc.text.removeprefix("http://testserver") for loc in root.iter(f"{SITEMAP}loc")}
    assert {
        told.story.get_absolute_url(),
        reverse("chapter_detail", args=[told.story.slug, 1]),
        told.mira.get_absolute_url(),
        told.teo.get_absolute_url(),
        told.aleksei.get_absolute_url(),
        told.lucia.get_absolute_url(),
    } <= locations
    assert any("river" in location for location in locations)
