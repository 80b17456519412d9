"""In real Chromium, the site's main pages work under its strict Content-Security-Policy:
none logs a violation (an inline script or style, an outside source) in the console, and
the script-driven parts (the live preview, the chart) still work.

The admin gets the same policy, with no exemption and no nonces: Django 5.2's admin loads
every script from a file. Its one inline <style> (the change list of a model with no
actions) only widens a column, and every change list here has actions."""

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import PASSWORD, make_cast, make_moderator, make_pending_post, make_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_for_violations(page):
    """Everything Chromium reports about the policy, from the console and the DOM event."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Refused to load: Content Security Policy ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return seen


@pytest.fixture
def scene():
    cast = make_cast(
        names=("Aleksei Varga", "Lucia Ferro"),
        story_title="The Lantern Road",
        scene_title="The Ford",
    )
    make_post(cast.scene, character=cast.lucia, body="Lucia waited on the bank.")
    make_pending_post(cast.scene, character=cast.aleksei, body="Aleksei *waded* in.")
    return cast.scene


def test_reading_pages_log_no_policy_violation(live_server, new_page, scene):
    page = new_page()
    seen = watch_for_violations(page)
    page.goto(live_server.url + scene.chapter.story.get_absolute_url())
    expect(page.locator(".story-stats svg.chart").first).to_be_visible()
    page.goto(live_server.url + scene.chapter.get_absolute_url())
    expect(page.get_by_text("Lucia waited on the bank.")).to_be_visible()
    assert seen == []


def test_the_scene_page_and_its_live_preview_log_no_policy_violation(live_server, new_page, scene):
    page = new_page()
    seen = watch_for_violations(page)
    log_in(page, live_server, "teo")
    accept_leave_prompts(page)
    page.goto(live_server.url + scene.get_absolute_url())
    page.get_by_label("Your post").fill("Lucia laughed *quietly*, and followed.")
    expect(page.locator("[data-preview-body] em")).to_have_text("quietly")
    assert seen == []


def test_the_admin_index_and_a_review_page_log_no_policy_violation(live_server, new_page, scene):
    make_moderator("moss")
    page = new_page()
    seen = watch_for_violations(page)
    page.goto(f"{live_server.url}/admin/")
    page.locator("#id_username").fill("moss")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".rp-waiting")).to_contain_text("1 post awaiting approval")
    page.get_by_role("link", name="1 post awaiting approval").click()
    page.locator("#result_list tbody tr").first.locator("th a").click()
    expect(page.locator(".rp-body")).to_contain_text("waded")
    assert seen == []
