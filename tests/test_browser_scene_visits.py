"""In real Chromium: opening a scene records what the member was shown (scene-visit.js), so
their next visit marks only what came after it; and post text keeps a reading measure."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import make_cast, make_post
from threads.models import SceneVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_and_wait_for_the_visit(page, url):
    """Open the scene and wait until scene-visit.js has reported it (reading the database
    while the live server writes would lock SQLite's shared in-memory table)."""
    with page.expect_response(lambda response: response.url.endswith("/seen/")) as seen:
        page.goto(url)
    assert seen.value.status == 204


def last_seen(user, scene):
    return SceneVisit.objects.get(user=user, scene=scene).last_seen_number


def test_a_shown_page_is_recorded_and_only_later_posts_are_new(live_server, new_page):
    cast = make_cast()
    make_post(cast.scene, character=cast.aleksei, body="The first crossing.")
    url = live_server.url + cast.scene.get_absolute_url()
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "teo")
    open_and_wait_for_the_visit(page, url)
    assert last_seen(cast.teo, cast.scene) == 1
    expect(page.locator(".new-since-visit")).to_have_count(0)
    # Reading width near the chapter reader's, not the page's full 60rem.
    width = page.locator(".scene-posts .post-body").first.evaluate("e => e.clientWidth")
    assert width <= 38 * 16

    make_post(cast.scene, author=cast.mira, kind="ooc", body="Back on Monday.")
    open_and_wait_for_the_visit(page, url)
    expect(page.locator(".new-since-visit")).to_have_text("New since your last visit")
    expect(page.locator(".unread-count")).to_have_text("1 new post since your last visit")
    assert last_seen(cast.teo, cast.scene) == 2
