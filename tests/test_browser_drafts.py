"""Unsent drafts kept in the browser belong to the writer who typed them: another account
on the same browser never gets them, and logging out forgets them. Real Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drafts_in_browser(page):
    return page.evaluate(
        "Object.keys(localStorage).filter(function (key) { return key.startsWith('draft:'); })"
    )


def test_a_draft_stays_with_its_writer_on_a_shared_browser(live_server, new_page):
    cast = make_cast(names=("Aleksei Varga", "Lucia Ferro"))
    mira, scene = cast.mira, cast.scene
    url = live_server.url + scene.get_absolute_url()
    secret = "Aleksei hid the letter under the third stone."

    page = new_page()  # one browser, used by Mira and then by Teo
    accept_leave_prompts(page)
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
