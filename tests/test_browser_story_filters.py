"""A reader in real Chromium, on the demo archive, filters the story list by a tag while
leaving out a warning, using only the keyboard, opens a result, then searches for a phrase
from one of its posts and lands on that post."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_filters_by_a_tag_leaving_out_a_warning_and_reads_a_result(
    live_server, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    page = new_page()
    page.goto(live_server.url + "/stories/")

    # "found fam" is the demo's synonym of "found family": the filter finds both.
    tags = page.get_by_label("With tags")
    tags.focus()
    page.keyboard.type("found fam")
    page.get_by_role("checkbox", name="Graphic violence").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/stories/\?.*exclude_warning=violence"))
    expect(page.get_by_role("checkbox", name="Graphic violence")).to_be_checked()
    titles = page.locator(".story-card-title").all_inner_texts()
    assert sorted(titles) == ["The Quiet Ledger", "Weather for Gulls"]  # not the violent one
    page.get_by_role("link", name="The Quiet Ledger").click()
    page.get_by_role("heading", name="The Quiet Ledger").wait_for()

    search_box = page.get_by_role("searchbox", name="Search the archive")
    search_box.fill('"which nights have no lines"')
    search_box.press("Enter")
    page.locator(".search-result").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/chapters/1/#post-\d+-\d+$"))
    post = page.locator("article#" + page.url.rsplit("#", 1)[1])
    assert "which nights have no lines" in post.locator(".post-body").inner_text()
    expect(post).to_be_visible()


def test_tag_suggestions_complete_the_last_tag(live_server, new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    page = new_page()
    page.goto(live_server.url + "/stories/")
    tags = page.get_by_label("With tags")
    tags.fill("storms, lightho")
    tags.dispatch_event("input")
    options = page.locator("datalist option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "storms, lighthouse"
