"""The draft a writer's browser keeps is forgotten when the server confirms the writer's own
post was saved, and never because a link says ?saved=<draft key>. Real Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kept(page, key):
    return page.evaluate("key => localStorage.getItem(key)", key)


def test_a_link_with_saved_does_not_wipe_the_draft_but_posting_does(live_server, new_page):
    cast = make_cast(names=("Aleksei Varga", "Lucia Ferro"))
    path = cast.scene.get_absolute_url()
    key = f"draft:{cast.mira.pk}:{path}"
    text = "Aleksei folded the map along its old creases."

    page = new_page()
    accept_leave_prompts(page)
    log_in(page, live_server, "mira")
    page.goto(live_server.url + path)
    page.get_by_label("Your post").fill(text)
    assert kept(page, key) == text

    # A link someone put in a post, naming Mira's draft.
    page.goto(f"{live_server.url}{path}?saved={key}")
    expect(page.get_by_label("Your post")).to_have_value(text)
    assert kept(page, key) == text

    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text(text)).to_be_visible()
    assert kept(page, key) is None
    assert "saved=" not in page.url
