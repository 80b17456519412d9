"""Unsent drafts kept in the browser belong to the writer who typed them: another account
on the same browser never gets them, and logging out forgets them. Real Chromium."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    PASSWORD,
    make_chapter,
    make_character,
    make_scene,
    make_story,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def drafts_in_browser(page):
    return page.evaluate(
        "Object.keys(localStorage).filter(function (key) { return key.startsWith('draft:'); })"
    )


def test_a_draft_stays_with_its_writer_on_a_shared_browser(live_server, new_page):
    mira = make_user("mira", display_name="Mira")
    teo = make_user("teo", display_name="Teo")
    story = make_story(owner=mira, members=[teo])
    aleksei = make_character(mira, name="Aleksei Varga")
    lucia = make_character(teo, name="Lucia Ferro")
    scene = make_scene(make_chapter(story), characters=[aleksei, lucia])
    url = live_server.url + scene.get_absolute_url()
    secret = "Aleksei hid the letter under the third stone."

    page = new_page()  # one browser, used by Mira and then by Teo
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsent text?"
    log_in(page, live_server, "mira")
    page.goto(url)
    page.get_by_label("Your post").fill(secret)
    page.reload()
    expect(page.get_by_label("Your post")).to_have_value(secret)  # kept for Mira
    assert drafts_in_browser(page) == [f"draft:{mira.pk}:{scene.get_absolute_url()}"]

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert drafts_in_browser(page) == []

    log_in(page, live_server, "teo")
    page.goto(url)
    expect(page.get_by_label("Your post")).to_have_value("")
    expect(page.locator("[data-draft-note]")).to_be_hidden()
