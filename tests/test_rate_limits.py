"""Rate limits (threads/lib/ratelimit.py), counted in a real cache: local memory, and the
same tests against Redis when one answers at REDIS_URL (.ci/run starts one). Each limit
trips at its threshold and resets with its window; past it, a 429 with Retry-After, and a
writer's text comes back in its form."""

import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit import core as ratelimit_core

from tests.factories import PASSWORD, make_chapter, make_post, make_scene, make_story
from threads.forms.posting import OOC
from threads.lib import ratelimit
from threads.models import Comment, Post, ReadingPosition, Report, Story

User = get_user_model()
REDIS_URL = os.environ.get("REDIS_URL", "")
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}
REDIS = {"BACKEND": "threads.lib.cache.RedisCache", "LOCATION": REDIS_URL}


def redis_skip_reason():
    """Why the Redis half cannot run here, or "" when a Redis server answers."""
    if not REDIS_URL:
        return "REDIS_URL is not set: no Redis to test the limits against (.ci/run sets it)"
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"no Redis answers at {REDIS_URL}: {error}"
    return ""


@pytest.fixture(params=["locmem", "redis"])
def limit_cache(request, settings):
    """The limits counted in a cache of their own: local memory, then Redis."""
    if request.param == "redis" and (reason := redis_skip_reason()):
        pytest.skip(reason)
    backend = LOCMEM if request.param == "locmem" else REDIS
    settings.CACHES = {**settings.CACHES, "limits": backend, "limits_b": dict(backend)}
    settings.RATELIMIT_USE_CACHE = "limits"
    caches["limits"].clear()
    yield request.param
    caches["limits"].clear()


@pytest.fixture
def clock(monkeypatch):
    """The limits' clock, moved by hand: ``clock.now += 3600`` is an hour later."""

    class Clock:
        now = float(time.time())

    monkeypatch.setattr(ratelimit_core.time, "time", lambda: Clock.now)
    return Clock


def tight(settings, **rates):
    settings.RP_RATE_LIMITS = {**settings.RP_RATE_LIMITS, **rates}


def assert_refused(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600


def request_from(address="203.0.113.9"):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


# --- The mechanism, for every declared limit --------------------------------------------


@pytest.mark.parametrize("name", sorted(ratelimit.ACTIONS))
def test_each_limit_trips_past_its_threshold_and_resets(limit_cache, settings, clock, name):
    tight(settings, **{name: "3/m"})
    request = request_from()
    assert [ratelimit.hit(request, name) for _ in range(3)] == [None, None, None]
    refusal = ratelimit.hit(request, name)
    assert refusal is not None and 0 < refusal.wait <= 60
    assert "Try again in" in refusal.message
    clock.now += 61
    assert ratelimit.hit(request, name) is None


def test_every_declared_limit_has_words_for_the_refused(settings):
    assert set(settings.RP_RATE_LIMITS) == set(ratelimit.ACTIONS)


def test_limits_count_each_address_apart(limit_cache, settings):
    tight(settings, signup="1/h")
    assert ratelimit.hit(request_from("203.0.113.9"), "signup") is None
    assert ratelimit.hit(request_from("203.0.113.10"), "signup") is None
    assert ratelimit.hit(request_from("203.0.113.9"), "signup") is not None


def test_two_app_servers_on_one_redis_share_the_count(limit_cache, settings):
    """Two cache clients of their own (two aliases: two connection pools), as two app
    servers have, count into the same Redis keys."""
    if limit_cache != "redis":
        pytest.skip("local memory is one process's own by design; the Redis run checks this")
    tight(settings, post="4/m")
    assert caches["limits"] is not caches["limits_b"]
    request = request_from()
    for alias in ("limits", "limits_b", "limits", "limits_b"):
        settings.RATELIMIT_USE_CACHE = alias
        assert ratelimit.hit(request, "post") is None
    settings.RATELIMIT_USE_CACHE = "limits"
    assert ratelimit.hit(request, "post") is not None


SECOND_PROCESS = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from django.test import RequestFactory, override_settings
    from threads.lib import ratelimit
    cache = {"BACKEND": "threads.lib.cache.RedisCache", "LOCATION": sys.argv[1]}
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    limits = {"post": "4/m"}
    with override_settings(CACHES={"default": cache}, RP_RATE_LIMITS=limits):
        print(sum(ratelimit.hit(request, "post") is None for _ in range(3)))
    """
)


def test_a_second_process_on_the_same_redis_shares_the_count(limit_cache, settings):
    if limit_cache != "redis":
        pytest.skip("local memory is one process's own by design; the Redis run checks this")
    tight(settings, post="4/m")
    request = request_from()
    assert ratelimit.hit(request, "post") is None  # one here...
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    other = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SECOND_PROCESS, REDIS_URL],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == "3"  # ...three there...
    assert ratelimit.hit(request, "post") is not None  # ...and the fifth is refused here


# --- Sign-up, login, password reset --------------------------------------------------------


def signup_data(n):
    return {
        "username": f"newcomer{n}",
        "email": f"newcomer{n}@example.test",
        "password1": "a long tidal phrase 42",
        "password2": "a long tidal phrase 42",
    }


def test_signups_past_the_limit_get_the_429_page(client, db, limit_cache, settings, clock):
    tight(settings, signup="2/h")
    for n in range(2):
        assert client.post(reverse("signup"), signup_data(n)).status_code == 302
    response = client.post(reverse("signup"), signup_data(2))
    assert_refused(response)
    assert "Too many accounts asked for from your address" in response.content.decode()
    assert not User.objects.filter(username="newcomer2").exists()
    clock.now += 3601
    assert client.post(reverse("signup"), signup_data(2)).status_code == 302


def login(client, username, password="not-the-password"):  # noqa: S107
    return client.post(reverse("login"), {"username": username, "password": password})


def test_failed_logins_for_one_account_lock_it_even_for_the_right_password(
    client, limit_cache, settings, clock, owner, stranger
):
    tight(settings, login_account="3/15m")
    for _ in range(3):
        assert login(client, "mira").status_code == 200
    response = login(client, "MIRA", PASSWORD)  # any case of the name counts as the account
    assert_refused(response)
    assert "Too many failed logins for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked by Mira's.
    assert login(client, "sasha", PASSWORD).status_code == 302
    client.logout()
    clock.now += 15 * 60 + 1
    assert login(client, "mira", PASSWORD).status_code == 302


def test_failed_logins_from_one_address_lock_that_address(
    client, limit_cache, settings, clock, owner
):
    tight(settings, login_address="3/15m")
    for name in ("ana", "ben", "cy"):
        assert login(client, name).status_code == 200
    assert_refused(login(client, "mira", PASSWORD))
    # The same account from another address still logs in.
    other = client.post(
        reverse("login"), {"username": "mira", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_successful_logins_are_not_counted(client, limit_cache, settings, owner):
    tight(settings, login_account="2/15m", login_address="2/15m")
    for _ in range(4):
        assert login(client, "mira", PASSWORD).status_code == 302
        client.logout()


def test_password_resets_past_the_limit_send_nothing(
    client, limit_cache, settings, owner, django_capture_on_commit_callbacks
):
    tight(settings, password_reset="2/h")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client.post(reverse("password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert_refused(client.post(reverse("password_reset"), {"email": owner.email}))
    assert len(mail.outbox) == 2


# --- Writers keep their text -----------------------------------------------------------------


def submit_url(cast):
    return reverse("post_submit", args=[cast.story.slug, cast.chapter.number, cast.scene.position])


def test_a_post_past_the_limit_comes_back_in_its_form(client, cast, limit_cache, settings):
    tight(settings, post="2/m")
    client.force_login(cast.mira)
    for n in range(2):
        response = client.post(submit_url(cast), {"post_as": OOC, "body": f"Note {n}."})
        assert response.status_code == 302
    text = "The ferry left without us, and the gulls laughed."
    response = client.post(submit_url(cast), {"post_as": OOC, "body": text})
    assert_refused(response)
    page = response.content.decode()
    assert "Too many posts in a short time" in page and "your text is kept below" in page
    assert f"{text}</textarea>" in page
    assert not Post.objects.filter(body=text).exists()


def test_a_preview_past_the_limit_comes_back_with_its_text(client, cast, limit_cache, settings):
    tight(settings, preview="1/m")
    client.force_login(cast.mira)
    text = "Salt on the *rail*."
    data = {"post_as": OOC, "body": text, "preview": "1"}
    assert client.post(submit_url(cast), data).status_code == 200
    response = client.post(submit_url(cast), data)
    assert_refused(response)
    page = response.content.decode()
    assert "Too many previews" in page and f"{text}</textarea>" in page


def test_the_live_preview_past_the_limit_says_so(client, cast, limit_cache, settings):
    tight(settings, preview="1/m")
    client.force_login(cast.mira)
    url = reverse("post_preview") + f"?story={cast.story.slug}"
    assert client.post(url, {"body": "Gulls."}).status_code == 200
    response = client.post(url, {"body": "Gulls."})
    assert_refused(response)
    assert response.content.decode().startswith("Too many previews")


def test_an_edit_past_the_limit_comes_back_in_its_form(client, cast, limit_cache, settings):
    tight(settings, post="1/m")
    post = make_post(cast.scene, character=cast.aleksei, body="Low tide.")
    client.force_login(cast.mira)
    url = reverse("post_edit", args=[post.pk])
    assert client.post(url, {"body": "Lower tide."}).status_code == 302
    response = client.post(url, {"body": "The lowest tide in years."})
    assert_refused(response)
    assert "The lowest tide in years.</textarea>" in response.content.decode()
    post.refresh_from_db()
    assert "lowest" not in post.body


def test_a_comment_past_the_limit_comes_back_with_its_text(
    client, cast, stranger, limit_cache, settings
):
    tight(settings, comment="1/10m")
    client.force_login(stranger)
    url = reverse("comment_post", args=[cast.story.slug, cast.chapter.number])
    assert client.post(url, {"body": "Lovely.", "parent": ""}).status_code == 302
    text = "The ferry scene made me cry on a bus."
    response = client.post(url, {"body": text, "parent": ""})
    assert_refused(response)
    page = response.content.decode()
    assert "Too many comments" in page and text in page
    assert Comment.objects.count() == 1


# --- Reports, kudos, imports, reading position ------------------------------------------------


def test_reports_past_the_limit_keep_the_note(client, cast, stranger, limit_cache, settings):
    tight(settings, report="1/h")
    first = make_post(cast.scene, character=cast.aleksei)
    second = make_post(cast.scene, character=cast.lucia)
    client.force_login(stranger)
    data = {"reason": Report.Reason.OTHER, "note": "Odd."}
    assert client.post(reverse("report_post", args=[first.pk]), data).status_code == 302
    data["note"] = "This copies a published novel."
    response = client.post(reverse("report_post", args=[second.pk]), data)
    assert_refused(response)
    assert "This copies a published novel." in response.content.decode()
    assert Report.objects.count() == 1


def test_kudos_past_the_limit_are_refused(client, cast, owner, stranger, limit_cache, settings):
    tight(settings, kudos="1/h")
    other = make_story(owner=owner, title="Weather Vane")
    make_scene(make_chapter(other))
    client.force_login(stranger)
    assert client.post(reverse("give_kudos", args=[cast.story.slug])).status_code == 302
    assert_refused(client.post(reverse("give_kudos", args=[other.slug])))
    assert Story.objects.get(pk=other.pk).kudos_count == 0


def test_imports_past_the_limit_are_refused(client, cast, limit_cache, settings):
    tight(settings, **{"import": "1/h"})
    client.force_login(cast.mira)
    url = reverse("import_upload", args=[cast.story.slug])
    data = {"source": "text", "split": "blank-lines", "characters": "Vesna"}
    for expected in (302, 429):
        upload = {"file": _upload()}
        response = client.post(url, {**data, **upload})
        assert response.status_code == expected
    assert_refused(response)


def _upload():
    return SimpleUploadedFile("chapter.txt", b"One turn.\n\nAnother turn.\n")


def test_reading_position_saves_use_the_same_limits(client, cast, stranger, limit_cache, settings):
    tight(settings, reading_position="1/m")
    client.force_login(stranger)
    url = reverse("save_position", args=[cast.story.slug])
    assert client.post(url, {"chapter": cast.chapter.number}).status_code == 302
    assert_refused(client.post(url, {"chapter": cast.chapter.number}))
    assert ReadingPosition.objects.count() == 1


def test_the_429_page_is_the_sites_own(client, db, limit_cache, settings):
    tight(settings, signup="1/h")
    client.post(reverse("signup"), signup_data(0))
    response = client.post(reverse("signup"), signup_data(1))
    page = response.content.decode()
    assert "<h1>Slow down a little</h1>" in page and 'role="alert"' in page
    assert "nothing you did was changed or lost" in page
