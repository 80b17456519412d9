"""Two writers take turns in a round-robin scene in real Chromium, each in their own browser
context: live preview, refusal out of turn with the text kept, and three alternating turns."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import make_cast
from threads.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_turn(page, url, text):
    page.goto(url)
    expect(page.locator("[data-turn]")).to_contain_text("Your turn")
    page.get_by_label("Your post").fill(text)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("Posted.")


def test_two_writers_alternate_turns_in_round_robin(live_server, new_page):
    scene = make_cast(
        names=("Aleksei Varga", "Lucia Ferro"),
        story_title="The Lantern Road",
        scene_title="The Ford",
    ).scene
    url = live_server.url + scene.get_absolute_url()

    mira_page, teo_page = new_page(), new_page()
    log_in(mira_page, live_server, "mira")
    log_in(teo_page, live_server, "teo")
    accept_leave_prompts(mira_page)
    accept_leave_prompts(teo_page)

    # Mira is up. Her live preview shows rendered Markdown, and the word count follows along.
    mira_page.goto(url)
    expect(mira_page.locator("[data-turn]")).to_contain_text("Your turn, as Aleksei Varga")
    mira_page.get_by_label("Your post").fill("Aleksei crossed *softly*, lantern dark.")
    expect(mira_page.locator("[data-preview-body] em")).to_have_text("softly")
    expect(mira_page.locator("[data-word-count]")).to_have_text("5 words")
    mira_page.get_by_role("button", name="Post", exact=True).click()
    expect(mira_page.locator("[data-turn]")).to_contain_text("It is Lucia Ferro's turn")

    # Out of turn, the form says so and offers a note; if Mira posts as Aleksei all the
    # same, the post is refused and her text stays in the form.
    expect(mira_page.locator(".not-your-turn")).to_contain_text("It is not your turn")
    expect(mira_page.get_by_label("Post as")).to_have_value("ooc")
    out_of_turn = "Aleksei could not wait any longer."
    mira_page.get_by_label("Post as").select_option(label="Aleksei Varga")
    mira_page.get_by_label("Your post").fill(out_of_turn)
    mira_page.get_by_role("button", name="Post", exact=True).click()
    expect(mira_page.get_by_role("alert")).to_contain_text(
        "It is Lucia Ferro's turn (written by Teo), not yours."
    )
    expect(mira_page.get_by_label("Your post")).to_have_value(out_of_turn)

    # Teo answers; then Mira's kept draft is back in her form when her turn comes round.
    take_turn(teo_page, url, "Lucia followed, counting the stones.")
    mira_page.goto(url)
    expect(mira_page.locator("[data-draft-note]")).to_be_visible()
    expect(mira_page.get_by_label("Your post")).to_have_value(out_of_turn)
    mira_page.get_by_role("button", name="Post", exact=True).click()
    expect(mira_page.locator(".message-success")).to_contain_text("Posted.")

    posts = Post.objects.filter(scene=scene).order_by("number")
    assert [p.character.name for p in posts] == ["Aleksei Varga", "Lucia Ferro", "Aleksei Varga"]
    assert posts[2].body == out_of_turn
    teo_page.goto(url)
    expect(teo_page.locator("[data-turn]")).to_contain_text("Your turn, as Lucia Ferro")
    expect(teo_page.locator(".scene-posts .post")).to_have_count(3)
    expect(teo_page.locator(".scene-posts")).to_contain_text(re.compile("Awaiting approval"))
