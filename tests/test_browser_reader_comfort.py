"""The reader in real Chromium: keyboard, phone width and dark mode."""

import pytest

from tests.factories import make_chapter, make_character, make_post, make_scene, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Nooooo" + "o" * 120 + " https://example.com/" + "a" * 150


@pytest.fixture
def story():
    story = make_story(title="Tidewater")
    character = make_character(name="Wren Hollis")
    for title in ("Low Tide", "High Tide"):
        scene = make_scene(make_chapter(story, title=title), [character])
        make_post(scene, character=character, body=f"{title}: the water {LONG_WORD} moved.")
    return story


def test_keyboard_reader_skips_to_the_text_and_turns_pages(live_server, new_page, story):
    page = new_page()
    page.goto(live_server.url + story.chapters.get(number=1).get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name="Chapter 2 High Tide").wait_for()
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name="Chapter 1 Low Tide").wait_for()


def test_a_phone_never_scrolls_sideways_and_no_template_text_leaks(live_server, browser, story):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        for url in (story.chapters.get(number=1).get_absolute_url(), f"/stories/{story.slug}/all/"):
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            text = page.inner_text("body")
            assert "{#" not in text and "{%" not in text and "{{" not in text
    finally:
        context.close()


def test_dark_mode_follows_the_system(live_server, browser, story):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(live_server.url + story.get_absolute_url())
            colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        finally:
            context.close()
    assert colours["light"] != colours["dark"]
