"""A reader in real Chromium: from the front page to the first chapter of the demo story."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_demo_story_to_chapter_one(live_server, new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    page = new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="The Salt Lantern").first.click()
    page.get_by_role("heading", name="The Salt Lantern").wait_for()
    page.get_by_role("link", name="Three Dark Nights").click()

    page.get_by_role("heading", name="Chapter 1 Three Dark Nights").wait_for()
    first_post = page.locator("article.post-ic").first
    assert first_post.locator(".character-name").inner_text() == "Marisol Vey"
    assert "written by Inès" in first_post.locator(".credit").inner_text()
    assert page.locator(".character-name", has_text="Corwin Ashdown").count() > 0
    assert page.get_by_text("written by Kofi").count() > 0
    assert page.locator("a[rel=next]").count() == 2  # above and below the text
    page.locator("#chapter-index-top").select_option("2")
    page.locator(".chapter-header .chapter-index button").click()
    page.get_by_role("heading", name="Chapter 2 What the Fog Hides").wait_for()
