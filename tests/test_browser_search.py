"""A reader in real Chromium searches the demo archive for a phrase from a post and lands
on that post in its chapter."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from threads.management import demo_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_searches_for_a_phrase_and_lands_on_the_post(
    live_server, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    # A phrase from Corwin's first post in chapter 1.
    assert "sell a tired man a cup of tea" in demo_text.CHAPTERS[0]["scenes"][0]["posts"][2][2]
    page = new_page()
    page.goto(live_server.url + "/")
    search_box = page.get_by_role("searchbox", name="Search the archive")
    search_box.fill('"a tired man a cup of tea"')
    search_box.press("Enter")

    page.get_by_role("heading", name="Search", exact=True).wait_for()
    assert page.locator(".count").inner_text().startswith("1 result")
    result = page.locator(".search-result").first
    assert result.locator("mark").count() >= 4  # the phrase's words, marked
    result.get_by_role("link").first.click()

    page.wait_for_url(re.compile(r"/chapters/1/#post-\d+-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    post = page.locator(f"article#{anchor}")
    assert "a tired man a cup of tea" in post.locator(".post-body").inner_text()
    assert post.locator(".character-name").inner_text() == "Corwin Ashdown"
    assert post.is_visible()
