"""An import in real Chromium: the owner uploads chapter text, checks the preview (the split,
the credit, the site chrome left out), confirms, and reads the chapter with its turns
credited."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import make_story, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Written for this test.
CHAPTER = """The Salt ClockWhere stories live. Discover now
3.1K 204 17

Chapter Nine: Low Tide

Vesna counted the boats — *eleven*, not twelve.


“The twelfth went out at dawn,” Aleksei said. «Не вернулась».
Continue reading next part
"""


def test_owner_uploads_previews_confirms_and_reads_the_chapter(live_server, new_page, tmp_path):
    mira = make_user("mira", display_name="Mira")
    story = make_story(owner=mira, title="The Salt Clock")
    path = tmp_path / "low-tide.txt"
    path.write_text(CHAPTER, encoding="utf-8")

    page = new_page()
    log_in(page, live_server, "mira")
    page.goto(f"{live_server.url}/write/stories/{story.slug}/")
    page.get_by_role("link", name="Import chapter text or a chat log").click()
    page.get_by_label("Chapter text copied from a reading site").check()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Characters, in posting order").fill("Vesna, Aleksei")
    page.get_by_role("button", name="Preview the import").click()

    # The preview: how it was split and credited, and what was left out. Nothing saved yet.
    expect(page.get_by_role("heading", name="Chapter 9: Low Tide")).to_be_visible()
    expect(page.locator(".import-credits")).to_contain_text("Vesna: 1 post")
    expect(page.locator(".import-credits")).to_contain_text("Aleksei: 1 post")
    expect(page.locator(".import-dropped")).to_contain_text("3.1K 204 17")
    expect(page.locator(".import-dropped")).to_contain_text("Continue reading next part")
    assert story.chapters.count() == 0

    page.get_by_role("button", name="Import 2 posts").click()
    expect(page.locator(".message-success")).to_contain_text("Imported 2 posts")
    main = page.locator("main")
    expect(main).to_contain_text("Low Tide")
    expect(main.locator("em", has_text="eleven")).to_be_visible()
    expect(main).to_contain_text("Не вернулась")
    # Each turn is headed by its character and credited to the placeholder writer.
    expect(main.locator(".character-name")).to_have_text(["Vesna", "Aleksei"])
    expect(main.locator(".post .credit").first).to_contain_text("written by Vesna")
    assert "Where stories live" not in main.inner_text()
