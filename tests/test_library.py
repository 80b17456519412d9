"""The reader's library: kudos, bookmarks, reading position and history, the reader-mode
switch and reader-insert, for anonymous, signed-in, member and suspended readers, and
nothing of a story the reader may not read."""

import json

import pytest
from django.urls import reverse

from tests import concurrency
from tests.factories import make_chapter, make_pending_post, make_post, make_scene, make_story
from threads.library import kudos, positions
from threads.models import Bookmark, Kudos, Post, ReadingPosition, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(stranger):
    """Sasha, signed in, with no part in the story."""
    return stranger


@pytest.fixture
def text(cast):
    """Two published posts and an OOC note in the cast's scene."""
    first = make_post(cast.scene, character=cast.aleksei, body="The river was high.")
    ooc = make_post(cast.scene, author=cast.teo, kind=Post.Kind.OUT_OF_CHARACTER, body="Back soon")
    second = make_post(cast.scene, character=cast.lucia, body="Lucia waded in anyway.")
    return first, ooc, second


def kudos_url(story):
    return reverse("give_kudos", args=[story.slug])


def count_of(story):
    return Story.objects.get(pk=story.pk).kudos_count


# --- Kudos ------------------------------------------------------------------------------


def test_anonymous_kudos_counts_once_however_often_it_is_posted(client, cast, text):
    for _ in range(3):
        assert client.post(kudos_url(cast.story)).status_code == 302
    assert count_of(cast.story) == 1
    assert Kudos.objects.filter(user=None).count() == 1


def test_a_signed_in_readers_replayed_kudos_counts_once(client, cast, text, reader):
    client.force_login(reader)
    client.post(kudos_url(cast.story))
    response = client.post(kudos_url(cast.story), follow=True)
    assert "already left kudos" in response.content.decode()
    assert count_of(cast.story) == 1


def test_the_story_card_and_page_show_the_count(client, cast, text, reader):
    client.force_login(reader)
    client.post(kudos_url(cast.story))
    client.logout()
    assert "1</span> kudos" in client.get(cast.story.get_absolute_url()).content.decode()
    assert "<dt>Kudos</dt><dd>1</dd>" in client.get(reverse("story_list")).content.decode()


def test_a_member_cannot_leave_kudos_on_their_own_story(client, cast, text):
    client.force_login(cast.teo)
    client.post(kudos_url(cast.story))
    assert count_of(cast.story) == 0
    assert not Kudos.objects.exists()


def test_a_suspended_reader_cannot_leave_kudos(client, cast, text, reader):
    reader.suspend("spam")
    client.force_login(reader)
    client.post(kudos_url(cast.story))
    assert count_of(cast.story) == 0


def test_signed_in_kudos_needs_the_csrf_token(cast, text, reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(kudos_url(cast.story)).status_code == 403
    assert count_of(cast.story) == 0


@pytest.mark.parametrize("visibility", ["members", "registered"])
def test_no_kudos_on_a_story_the_reader_may_not_read(client, cast, text, visibility):
    Story.objects.filter(pk=cast.story.pk).update(visibility=visibility)
    response = client.post(kudos_url(cast.story))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
    assert count_of(cast.story) == 0
    assert not Kudos.objects.exists()


def test_no_kudos_on_a_story_with_nothing_published(client, owner, reader):
    story = make_story(owner=owner)
    make_chapter(story, is_published=False)
    client.force_login(reader)
    client.post(kudos_url(story))
    assert count_of(story) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("by", ["user", "session"])
def test_two_racing_kudos_from_one_reader_count_once(cast, reader, by):
    who = {"user": reader} if by == "user" else {"session_key": "s" * 32}
    results = concurrency.race(
        lambda: kudos.give(cast.story, **who), lambda: kudos.give(cast.story, **who)
    )
    assert sorted(results) == [False, True], results
    assert count_of(cast.story) == 1
    assert Kudos.objects.count() == 1


# --- Reading position and history -----------------------------------------------------------


def position_url(story):
    return reverse("save_position", args=[story.slug])


def save(client, cast, post=None, chapter=None, **headers):
    data = {"chapter": (chapter or cast.chapter).number}
    if post is not None:
        data.update(scene=post.scene_id, number=post.number)
    return client.post(position_url(cast.story), data, **headers)


def test_scrolling_saves_the_post_and_continue_reading_lands_on_it(client, cast, text, reader):
    client.force_login(reader)
    response = save(client, cast, text[2], headers={"accept": "application/json"})
    assert response.json() == {"saved": True}
    position = ReadingPosition.objects.get(user=reader)
    assert (position.chapter, position.post) == (cast.chapter, text[2])
    anchor = f"{cast.chapter.get_absolute_url()}#post-{cast.scene.pk}-{text[2].number}"
    assert anchor in client.get(cast.story.get_absolute_url()).content.decode()
    assert anchor in client.get(reverse("dashboard")).content.decode()


def test_without_javascript_the_button_saves_the_chapter(client, cast, text, reader):
    client.force_login(reader)
    response = save(client, cast)
    assert response.status_code == 302
    assert ReadingPosition.objects.get(user=reader).post is None


def test_reading_a_chapter_writes_nothing(client, cast, text, reader):
    client.force_login(reader)
    client.get(cast.chapter.get_absolute_url())
    assert not ReadingPosition.objects.exists()


def test_an_anonymous_reader_has_no_position_saved(client, cast, text):
    response = save(client, cast, text[0])
    assert response.status_code == 302 and reverse("login") in response.url
    assert not ReadingPosition.objects.exists()


def test_a_suspended_reader_keeps_their_place(client, cast, text, reader):
    reader.suspend("spam")
    client.force_login(reader)
    save(client, cast, text[0])
    assert ReadingPosition.objects.filter(user=reader).exists()


def test_a_post_readers_cannot_see_is_no_place_to_save(client, cast, text, reader):
    pending = make_pending_post(cast.scene, character=cast.aleksei)
    behind = make_post(cast.scene, character=cast.lucia)  # approved, behind the frontier
    client.force_login(reader)
    for post in (pending, behind, text[1]):  # text[1] is the OOC note
        assert save(client, cast, post).status_code == 400
    assert not ReadingPosition.objects.exists()


def test_an_unpublished_chapter_is_no_place_to_save(client, cast, text, reader):
    draft = make_chapter(cast.story, is_published=False)
    client.force_login(reader)
    assert save(client, cast, chapter=draft).status_code == 404
    assert not ReadingPosition.objects.exists()


def test_saves_past_the_ceiling_are_refused(client, cast, text, reader, settings):
    settings.RP_RATE_LIMITS = {**settings.RP_RATE_LIMITS, "reading_position": "3/m"}
    client.force_login(reader)
    for _ in range(3):
        save(client, cast, text[0])
    assert save(client, cast, text[2]).status_code == 429
    assert ReadingPosition.objects.get(user=reader).post == text[0]


def test_history_lists_readable_stories_most_recent_first(client, cast, text, reader, owner):
    other = make_story(owner=owner, title="Second Tide")
    other_chapter = make_chapter(other)
    make_scene(other_chapter)
    positions.record(reader, cast.chapter, text[0])
    positions.record(reader, other_chapter)
    client.force_login(reader)
    page = client.get(reverse("reading_history")).content.decode()
    assert page.index("Second Tide") < page.index("The Lantern Road")
    assert "chapter 1 of 1" in page
    Story.objects.filter(pk=other.pk).update(visibility=Story.Visibility.MEMBERS)
    page = client.get(reverse("reading_history")).content.decode()
    assert "Second Tide" not in page and "The Lantern Road" in page


def test_history_queries_do_not_grow_with_stories(
    client, owner, reader, django_assert_max_num_queries
):
    def add_story(n):
        story = make_story(owner=owner, title=f"Story {n}")
        chapter = make_chapter(story)
        scene = make_scene(chapter)
        positions.record(reader, chapter, make_post(scene, author=owner))

    client.force_login(reader)
    add_story(0)
    with django_assert_max_num_queries(6):
        client.get(reverse("reading_history"))
    for n in range(1, 8):
        add_story(n)
    with django_assert_max_num_queries(6):
        client.get(reverse("reading_history"))
    with django_assert_max_num_queries(10):
        client.get(reverse("dashboard"))


# --- Bookmarks --------------------------------------------------------------------------


def test_a_reader_bookmarks_with_a_private_note(client, cast, text, reader, owner):
    client.force_login(reader)
    client.post(reverse("bookmark_save", args=[cast.story.slug]), {"note": "<b>ch 2</b>"})
    later = make_story(owner=owner, title="Later Story")
    make_chapter(later)
    client.post(reverse("bookmark_save", args=[later.slug]), {"note": ""})
    page = client.get(reverse("bookmark_list")).content.decode()
    assert page.index("Later Story") < page.index("The Lantern Road")
    assert "&lt;b&gt;ch 2&lt;/b&gt;" in page
    client.force_login(cast.teo)
    assert "ch 2" not in client.get(cast.story.get_absolute_url()).content.decode()
    assert "Lantern" not in client.get(reverse("bookmark_list")).content.decode()


def test_no_bookmark_on_a_story_the_reader_may_not_read(client, cast, text, reader):
    Story.objects.filter(pk=cast.story.pk).update(visibility=Story.Visibility.MEMBERS)
    client.force_login(reader)
    response = client.post(reverse("bookmark_save", args=[cast.story.slug]), {"note": "x"})
    assert response.status_code == 404
    assert not Bookmark.objects.exists()


def test_a_bookmarked_story_made_private_leaves_the_list(client, cast, text, reader):
    Bookmark.objects.create(user=reader, story=cast.story, note="keep")
    Story.objects.filter(pk=cast.story.pk).update(visibility=Story.Visibility.MEMBERS)
    client.force_login(reader)
    assert "Lantern" not in client.get(reverse("bookmark_list")).content.decode()


def test_bookmarks_queries_do_not_grow(client, owner, reader, django_assert_max_num_queries):
    client.force_login(reader)
    for n in range(8):
        Bookmark.objects.create(user=reader, story=make_story(owner=owner, title=f"S{n}"))
    with django_assert_max_num_queries(6):
        client.get(reverse("bookmark_list"))


def test_a_suspended_reader_may_still_bookmark(client, cast, text, reader):
    reader.suspend("spam")
    client.force_login(reader)
    client.post(reverse("bookmark_save", args=[cast.story.slug]), {"note": ""})
    assert Bookmark.objects.filter(user=reader).exists()


# --- The reader-mode switch -----------------------------------------------------------------


def test_readers_see_story_text_only_unless_they_ask(client, cast, text):
    url = cast.chapter.get_absolute_url()
    assert "Back soon" not in client.get(url).content.decode()
    assert "Back soon" in client.get(url + "?ooc=1").content.decode()


def test_members_see_ooc_notes_unless_they_ask_not_to(client, cast, text):
    client.force_login(cast.teo)
    url = cast.chapter.get_absolute_url()
    assert "Back soon" in client.get(url).content.decode()
    assert "Back soon" not in client.get(url + "?ooc=0").content.decode()


def test_showing_ooc_notes_shows_nothing_unpublished(client, cast, text):
    make_pending_post(cast.scene, character=cast.aleksei, body="Not yet approved")
    assert (
        "Not yet approved"
        not in client.get(cast.chapter.get_absolute_url() + "?ooc=1").content.decode()
    )


def test_anonymous_chapter_pages_set_no_cookie_and_carry_no_token(client, cast, text):
    cast.story.reader_insert = True
    cast.story.save()
    response = client.get(cast.chapter.get_absolute_url())
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    story_page = client.get(cast.story.get_absolute_url())
    assert not story_page.cookies
    assert "csrfmiddlewaretoken" not in story_page.content.decode()


# --- Reader-insert ----------------------------------------------------------------------

HOSTILE_NAMES = [
    '<script>alert("x")</script>',
    "\"'><img src=x onerror=alert(1)>",
    "\u202eنور\u202c",
    "A" * 300,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_anonymous_readers_name_comes_back_as_text(client, name):
    client.post(reverse("reader_name"), {"name": name})
    response = client.get(reverse("reader_name_json"))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"name": name}
    assert "no-store" in response["Cache-Control"]


def test_a_signed_in_readers_name_is_kept_on_the_account(client, reader):
    client.force_login(reader)
    client.post(reverse("reader_name"), {"name": "Robin"})
    reader.refresh_from_db()
    assert reader.reader_name == "Robin"
    assert client.get(reverse("reader_name_json")).json() == {"name": "Robin"}


def test_a_name_past_300_characters_is_refused(client):
    response = client.post(reverse("reader_name"), {"name": "A" * 301})
    assert response.status_code == 400
    assert client.get(reverse("reader_name_json")).json() == {"name": ""}


def test_the_chapter_page_marks_placeholders_and_never_prints_the_name(client, cast):
    cast.story.reader_insert = True
    cast.story.save()
    make_post(cast.scene, character=cast.aleksei, body="Come in, Y/N.")
    client.post(reverse("reader_name"), {"name": "Zephyrine"})
    page = client.get(cast.chapter.get_absolute_url()).content.decode()
    assert '<span class="rp-insert" data-insert="">Y/N</span>' in page
    assert "Zephyrine" not in page
    assert 'id="reader-insert"' in page and "reader-insert.js" in page


def test_turning_reader_insert_on_marks_the_owners_own_placeholder(client, cast, owner):
    post = make_post(cast.scene, character=cast.aleksei, body="Hello, [name].")
    Story.objects.filter(pk=cast.story.pk).update(title="Hello [name]")
    client.force_login(owner)
    data = {
        "title": "Hello [name]",
        "summary": "For [name].",
        "rating": "general",
        "language": "en",
        "visibility": "public",
        "status": "in_progress",
        "reader_insert": "on",
        "reader_insert_placeholders": "Y/N, [name]",
    }
    response = client.post(reverse("story_edit", args=[cast.story.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert '<span class="rp-insert" data-insert="">[name]</span>' in post.body_html
    page = client.get(cast.chapter.get_absolute_url()).content.decode()
    assert 'Hello <span class="rp-insert" data-insert="">[name]</span>' in page
    # A new post is marked as it is saved.
    later = make_post(cast.scene, character=cast.lucia, body="Bye, [name].")
    assert '<span class="rp-insert" data-insert="">[name]</span>' in later.body_html


def test_demo_archive_has_a_reader_insert_story_with_kudos(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    story = Story.objects.get(reader_insert=True)
    assert story.kudos_count >= 2
    assert (
        Post.objects.for_readers()
        .filter(scene__chapter__story=story, body_html__contains='class="rp-insert"')
        .exists()
    )
