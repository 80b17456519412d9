"""The anonymous page cache (threads/views/pagecache.py): a second anonymous read is served
whole from the cache with one query (the generation), signed-in members never see or store a
cached page, nothing private is stored, and every change readers can see, made through its
real domain function or view, shows on the next anonymous read (generations bumped in the
change's transaction, threads/models/generations.py)."""

import os
from dataclasses import dataclass

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from tests.factories import (
    make_chapter,
    make_character,
    make_moderator,
    make_pending_post,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads import moderation
from threads.discovery import tags
from threads.lib.cache import RedisCache
from threads.library import comments, kudos
from threads.models import Membership, Rating, Story
from threads.views import pagecache
from threads.writing import membership, posting, structure

HIT = pagecache.HIT_HEADER


@dataclass
class World:
    story: Story
    chapter: object
    later: object  # a second, published chapter
    draft: object  # an unpublished third chapter
    scene: object
    post: object  # Teo's post as Lucia, the scene's latest
    owner: object
    cowriter: object
    aleksei: object
    lucia: object
    moderator: object


@pytest.fixture
def world(owner, cowriter):
    aleksei = make_character(owner=owner, name="Aleksei Varga")
    lucia = make_character(owner=cowriter, name="Lucia Ferro")
    story = make_story(
        owner=owner, members=[cowriter], title="The Lantern Road", tags=["found fam", "sea"]
    )
    chapter = make_chapter(story, title="The Crossing")
    later = make_chapter(story, title="Second Light")
    draft = make_chapter(story, title="Night Ferry", is_published=False)
    scene = make_scene(chapter, [aleksei, lucia])
    make_post(scene, owner, aleksei, body="The ferry left at dawn.")
    post = make_post(scene, cowriter, lucia, body="Lucia counted the gulls.")
    make_chapter(make_story(owner=owner, title="Another Shore", tags=["found family"]))
    return World(
        story, chapter, later, draft, scene, post, owner, cowriter, aleksei, lucia,
        make_moderator("moss"),
    )  # fmt: skip


@pytest.fixture
def reader():
    """An anonymous reader's browser: no session cookie, ever."""
    return Client()


def read(reader, url):
    response = reader.get(url)
    assert response.status_code == 200, url
    return response


def pages(w):
    """Every cached kind of page, for the world's story."""
    slug = w.story.slug
    return {
        "home": reverse("home"),
        "list": reverse("story_list") + "?sort=title",
        "tag index": reverse("tag_index"),
        "tag page": reverse("tag_detail", args=["sea"]),
        "story": reverse("story_detail", args=[slug]),
        "chapter": reverse("chapter_detail", args=[slug, 1]),
        "chapter with OOC": reverse("chapter_detail", args=[slug, 1]) + "?ooc=1",
        "whole story": reverse("story_full", args=[slug]),
        "recent feed": reverse("feed_recent_stories"),
        "story feed": reverse("feed_story", args=[slug]),
        "tag feed": reverse("feed_tag", args=["sea"]),
        "story.json": reverse("story_json", args=[slug]),
        "markdown download": reverse("story_download", args=[slug, "md"]),
    }


@pytest.mark.parametrize(
    "name",
    ["home", "list", "tag index", "tag page", "story", "chapter", "chapter with OOC",
     "whole story", "recent feed", "story feed", "tag feed", "story.json", "markdown download"],
)  # fmt: skip
def test_a_second_anonymous_read_is_served_from_the_cache_with_one_query(
    world, reader, name, django_assert_max_num_queries
):
    url = pages(world)[name]
    first = read(reader, url)
    assert HIT not in first
    with django_assert_max_num_queries(1):  # the generation, nothing else
        second = read(reader, url)
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_a_page_served_from_the_cache_does_not_look_the_reader_up(world, reader, monkeypatch):
    # Without a session cookie nobody is signed in: the cache answers without asking who.
    url = pages(world)["chapter"]
    first = read(reader, url)

    def lookup(request):
        raise AssertionError("the user was looked up")

    monkeypatch.setattr("django.contrib.auth.middleware.get_user", lookup)
    second = read(reader, url)
    assert second[HIT] == "hit"
    assert second.content == first.content


def test_each_process_keeps_its_own_copy_in_front_of_the_shared_cache(world, reader):
    """A page read once is answered from the process's memory (no trip to Redis); the
    generation still decides, so a change shows at once all the same."""
    url = pages(world)["chapter"]
    first = read(reader, url)
    pagecache.cache.clear()  # the shared copy gone (Redis restarted, say)
    kept = read(reader, url)
    assert kept[HIT] == "hit"
    assert kept.content == first.content
    posting.withdraw_post(world.post, world.cowriter)
    fresh = read(reader, url)
    assert HIT not in fresh
    assert b"counted the gulls" not in fresh.content


def test_a_large_page_is_kept_in_the_shared_cache_only(world, reader, monkeypatch):
    monkeypatch.setattr(pagecache, "LOCAL_MAX_BYTES", 100)
    url = pages(world)["chapter"]
    read(reader, url)
    assert read(reader, url)[HIT] == "hit"  # from the shared cache
    pagecache.cache.clear()
    assert HIT not in read(reader, url)  # nothing kept in memory


@pytest.mark.parametrize("name", ["home", "story", "chapter", "whole story", "tag page"])
def test_cached_pages_hold_no_csrf_token_and_set_no_cookie(world, reader, name):
    url = pages(world)[name]
    read(reader, url)
    cached = read(reader, url)
    assert cached[HIT] == "hit"
    assert b"csrfmiddlewaretoken" not in cached.content
    assert not cached.cookies


def test_a_member_is_never_served_a_cached_page_and_never_stores_one(world, reader, client):
    url = reverse("chapter_detail", args=[world.story.slug, 1])
    # Members read the chapter with the OOC notes; anonymous readers without them.
    make_post(world.scene, world.owner, kind="ooc", body="Tea break, back soon.")
    read(reader, url)  # stored for anonymous readers
    client.force_login(world.owner)
    page = read(client, url)
    assert HIT not in page
    assert b"Tea break, back soon." in page.content
    assert b"Tea break, back soon." not in read(reader, url).content
    # And the other way round: a member's page is never stored for anonymous readers.
    pagecache.clear()
    read(client, url)
    anonymous = read(reader, url)
    assert HIT not in anonymous
    assert b"Tea break, back soon." not in anonymous.content


def test_a_request_with_a_session_cookie_is_never_served_from_the_cache(world, reader):
    url = reverse("story_detail", args=[world.story.slug])
    read(reader, url)
    assert read(reader, url)[HIT] == "hit"
    reader.cookies["sessionid"] = "whatever-it-is"
    assert HIT not in read(reader, url)


def test_the_adult_notice_is_never_cached(owner, reader):
    story = make_story(owner=owner, title="Ember Court", rating=Rating.MATURE)
    make_chapter(story)
    url = reverse("story_detail", args=[story.slug])
    first = read(reader, url)
    assert b"adult-ok" in first.content  # the notice, with its consent form
    second = read(reader, url)
    assert HIT not in second
    assert b"adult-ok" in second.content


def _session_reader(request):
    request.session.get("reader_name")
    return HttpResponse("Hello, reader.")


def _message_sender(request):
    messages.info(request, "Saved.")
    return HttpResponse("Saved.")


def _cookie_setter(request):
    response = HttpResponse("Hello.")
    response.set_cookie("seen", "1")
    return response


def _csrf_user(request):
    return HttpResponse(get_token(request))


def _not_found(request):
    return HttpResponse("Nothing here.", status=404)


@pytest.mark.parametrize(
    "view", [_session_reader, _message_sender, _cookie_setter, _csrf_user, _not_found]
)
def test_a_response_with_anything_private_or_not_a_200_is_never_stored(db, rf, view):
    cached_view = pagecache.cache_for_readers("site")(view)
    for _ in range(2):
        request = rf.get("/private/")
        request.session = SessionStore()
        request.user = AnonymousUser()
        request._messages = FallbackStorage(request)
        response = cached_view(request)
        assert pagecache.HIT_HEADER not in response


# --- Invalidation: one change through its real path, then the anonymous page shows it ------
# Each case sets up (before the yield, so the page is cached as it was), then changes.


def approve_a_post(w):
    post = make_pending_post(w.scene, w.aleksei, body="Aleksei rang the harbour bell.")
    yield
    moderation.approve(post, w.moderator)


def post_as_a_trusted_writer(w):
    w.owner.is_trusted = True
    w.owner.save(update_fields=["is_trusted"])
    yield
    posting.submit_post(w.scene, w.owner, "ic", w.aleksei, "Aleksei rang the harbour bell.")


def edit_a_post(w):
    w.cowriter.is_trusted = True
    w.cowriter.save(update_fields=["is_trusted"])
    yield
    posting.edit_post(w.post, w.cowriter, "Aleksei rang the harbour bell, said Lucia.")


def approve_an_edit(w):
    revision = posting.edit_post(w.post, w.cowriter, "Aleksei rang the harbour bell, she said.")
    yield
    moderation.approve_edit(revision, w.moderator)


def withdraw_a_post(w):
    yield
    posting.withdraw_post(w.post, w.cowriter)


def hide_a_post(w):
    yield
    moderation.hide(w.post, w.moderator, "Off topic.")


def remove_a_post(w):
    yield
    moderation.remove(w.post, w.moderator, "Spam.")


def restore_a_hidden_post(w):
    moderation.hide(w.post, w.moderator, "Checking.")
    yield
    moderation.restore(w.post, w.moderator)


def add_a_chapter(w):
    yield
    structure.add_chapter(w.story, title="Harbour Bell", is_published=True)


def rename_a_chapter(w):
    yield
    structure.edit_chapter(w.chapter, title="Harbour Bell")


def renumber_a_chapter(w):
    yield
    structure.move_chapter(w.later, structure.UP)


def publish_a_chapter(w):
    structure.edit_chapter(w.draft, title="Harbour Bell")
    yield
    structure.publish_chapter(w.draft, True)


def unpublish_a_chapter(w):
    structure.edit_chapter(w.later, title="Harbour Bell")
    yield
    structure.publish_chapter(w.later, False)


def change_a_scene_cast(w):
    wren = make_character(owner=w.owner, name="Harbour Bell")
    yield
    structure.set_cast(w.scene, [w.aleksei, w.lucia, wren])


def mark_the_story_complete(w):
    yield
    w.story.set_status(Story.Status.COMPLETE)


def make_a_member_narrator(w):
    yield
    w.story.memberships.get(user=w.cowriter).set_role(Membership.Role.NARRATOR)


def accept_an_invitation(w):
    invitation = membership.invite(w.story, make_user("harbour_bell"), "co_writer", w.owner)
    yield
    membership.accept(invitation)


def remove_a_member(w):
    yield
    membership.remove(w.story.memberships.get(user=w.cowriter))


def give_kudos(w):
    yield
    for number in range(7):
        kudos.give(w.story, session_key=f"reader-{number}")


def approve_a_comment(w):
    comment = comments.submit(w.chapter, make_user("gull"), "Harbour Bell is my favourite.")
    yield
    comments.approve(comment, w.moderator)


def wrangle_a_tag(w):
    yield
    canonical, synonym = tags.named("found family").get(), tags.named("found fam").get()
    tags.mark_canonical(canonical, w.moderator)
    tags.make_synonym(synonym, canonical, w.moderator)


def edit_the_story(w):
    client = Client()
    client.force_login(w.owner)
    data = {"title": "Harbour Bell", "summary": "Two ferries.", "tags": "sea", "rating": "teen"}
    data |= {"language": "en", "visibility": "public", "status": "in_progress"}
    data |= {"reader_insert_placeholders": "", "comment_policy": w.story.comment_policy}
    yield
    response = client.post(reverse("story_edit", args=[w.story.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def rename_a_character(w):
    client = Client()
    client.force_login(w.owner)
    data = {"name": "Harbour Bell", "pronouns": "", "tagline": "", "description": ""}
    yield
    response = client.post(reverse("character_edit", args=[w.aleksei.slug]), data)
    assert response.status_code == 302


def change_a_display_name(w):
    client = Client()
    client.force_login(w.owner)
    data = {"display_name": "Harbour Bell", "pronouns": "", "email": w.owner.email, "bio": ""}
    yield
    response = client.post(reverse("profile_edit"), data)
    assert response.status_code == 302


def story(w):
    return reverse("story_detail", args=[w.story.slug])


def chapter(w):
    return reverse("chapter_detail", args=[w.story.slug, 1])


def home(w):
    return reverse("home")


def found_family(w):
    return reverse("tag_detail", args=["found-family"])


CHANGES = [
    # (change, page, text shown after, text gone after)
    (approve_a_post, chapter, "Aleksei rang the harbour bell.", None),
    (post_as_a_trusted_writer, chapter, "Aleksei rang the harbour bell.", None),
    (edit_a_post, chapter, "Aleksei rang the harbour bell, said Lucia.", "counted the gulls"),
    (approve_an_edit, chapter, "Aleksei rang the harbour bell, she said.", "counted the gulls"),
    (withdraw_a_post, chapter, None, "counted the gulls"),
    (hide_a_post, chapter, None, "counted the gulls"),
    (remove_a_post, chapter, None, "counted the gulls"),
    (restore_a_hidden_post, chapter, "counted the gulls", None),
    (add_a_chapter, story, "Harbour Bell", None),
    (rename_a_chapter, story, "Harbour Bell", "The Crossing"),
    (renumber_a_chapter, chapter, ">1. Second Light<", ">2. Second Light<"),
    (publish_a_chapter, story, "Harbour Bell", None),
    (unpublish_a_chapter, story, None, "Harbour Bell"),
    (change_a_scene_cast, story, "Harbour Bell", None),
    (mark_the_story_complete, home, "Complete", None),
    (make_a_member_narrator, story, "(narrator)", None),
    (accept_an_invitation, story, "harbour_bell", None),
    (remove_a_member, story, None, ">Teo</a></p>"),  # the byline
    (give_kudos, story, 'kudos-number">7<', None),
    (approve_a_comment, chapter, "Harbour Bell is my favourite.", None),
    (wrangle_a_tag, found_family, "The Lantern Road", None),
    (edit_the_story, home, "Harbour Bell", "The Lantern Road"),
    (rename_a_character, chapter, "Harbour Bell", None),
    (change_a_display_name, chapter, "Harbour Bell", None),
]


@pytest.mark.parametrize(
    ("change", "page", "shown", "gone"), CHANGES, ids=[case[0].__name__ for case in CHANGES]
)
def test_a_change_readers_can_see_shows_on_the_next_anonymous_read(
    world, reader, change, page, shown, gone, django_capture_on_commit_callbacks
):
    steps = change(world)
    next(steps)
    url = page(world)
    before = read(reader, url).content.decode()
    assert read(reader, url)[HIT] == "hit"
    if shown:
        assert shown not in before
    if gone:
        assert gone in before
    with django_capture_on_commit_callbacks(execute=True):
        next(steps, None)
    after = read(reader, url)
    assert HIT not in after
    if shown:
        assert shown in after.content.decode()
    if gone:
        assert gone not in after.content.decode()


def test_a_story_made_members_only_vanishes_from_every_cached_page_at_once(world, reader):
    slug = world.story.slug
    urls = [reverse("home"), reverse("story_list"), reverse("tag_detail", args=["sea"])]
    for url in urls + [reverse("story_detail", args=[slug])]:
        read(reader, url)
        assert read(reader, url)[HIT] == "hit"
    owner = Client()
    owner.force_login(world.owner)
    data = {"title": "The Lantern Road", "summary": "Two ferries.", "tags": "sea"}
    data |= {"rating": "teen", "language": "en", "visibility": "members"}
    data |= {"status": "in_progress", "comment_policy": world.story.comment_policy}
    assert owner.post(reverse("story_edit", args=[slug]), data).status_code == 302
    for url in urls:  # the tag page is a 404 now: no story left to list
        assert b"The Lantern Road" not in reader.get(url).content
    assert reader.get(reverse("story_detail", args=[slug])).status_code == 404


# --- Two app servers sharing one Redis ----------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def two_servers(monkeypatch):
    """Two RedisCache clients on one Redis, as two app servers have, each with its own
    memory in front; the page cache uses whichever ``serve`` names."""
    servers = [RedisCache(REDIS_URL, {}), RedisCache(REDIS_URL, {})]
    memories = [LocMemCache(f"server-{n}", {}) for n in range(2)]
    try:
        servers[0].get("ping")
    except Exception as error:  # noqa: BLE001 - any failure to connect means no Redis here
        pytest.skip(f"no Redis answers at {REDIS_URL} ({error}); CI starts one")
    servers[0].clear()

    def serve(index):
        monkeypatch.setattr(pagecache, "cache", servers[index])
        monkeypatch.setattr(pagecache, "_local", lambda: memories[index])

    yield serve
    servers[0].clear()
    for memory in memories:
        memory.clear()


def test_two_app_servers_sharing_one_redis_agree(world, reader, two_servers):
    url = reverse("chapter_detail", args=[world.story.slug, 1])
    two_servers(0)
    first = read(reader, url)
    two_servers(1)
    assert read(reader, url)[HIT] == "hit"  # stored by the other server
    posting.withdraw_post(world.post, world.cowriter)  # on server 1
    two_servers(0)
    fresh = read(reader, url)
    assert HIT not in fresh
    assert b"counted the gulls" in first.content
    assert b"counted the gulls" not in fresh.content
    two_servers(1)
    again = read(reader, url)
    assert again[HIT] == "hit"
    assert again.content == fresh.content


def test_the_redis_cache_keeps_one_client_and_each_server_its_own(two_servers):
    """threads/lib/cache.py: a client made once per connection pool, not once per call;
    still one per app server, each over its own pool."""
    first, second = RedisCache(REDIS_URL, {}), RedisCache(REDIS_URL, {})
    first.set("shared", "page", 30)
    assert second.get("shared") == "page"
    assert first._cache.get_client() is first._cache.get_client(write=True)
    assert first._cache.get_client() is not second._cache.get_client()
