"""The reading frontier in real Chromium: a new writer's turn waits for a moderator and the
trusted writer answers it at once; an anonymous reader sees neither until the moderator
approves the first in the admin, and then both, in order."""

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import make_cast, make_moderator, make_post
from tests.test_browser_moderation import log_in_to_admin
from threads.models import Post, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPENING = "Aleksei set the lantern on the ferry's rail and waited for the far bank."
NEW_WRITERS_TURN = "Lucia untied the rope before he could change his mind."
TRUSTED_ANSWER = "Aleksei caught the rail as the ferry swung out into the current."


def post_turn(page, live_server, scene, text):
    page.goto(live_server.url + scene.get_absolute_url())
    page.get_by_label("Your post").fill(text)
    page.get_by_role("button", name="Post", exact=True).click()


def test_readers_see_a_trusted_answer_only_once_the_turn_before_it_is_approved(
    live_server, new_page
):
    cast = make_cast(names=("Aleksei Varga", "Lucia Ferro"), scene_title="The Crossing")
    User.objects.filter(pk=cast.mira.pk).update(is_trusted=True)
    make_moderator("moss")  # makes the group too: a transactional test starts with none
    make_post(cast.scene, character=cast.aleksei, body=OPENING)

    # 1. Teo, a new writer, takes Lucia's turn: it waits for a moderator.
    teo = new_page()
    log_in(teo, live_server, "teo")
    accept_leave_prompts(teo)
    post_turn(teo, live_server, cast.scene, NEW_WRITERS_TURN)
    expect(teo.locator(".message-success")).to_contain_text("waits for a moderator")

    # 2. Mira, trusted, answers at once: approved, but held behind Teo's turn.
    mira = new_page()
    log_in(mira, live_server, "mira")
    accept_leave_prompts(mira)
    post_turn(mira, live_server, cast.scene, TRUSTED_ANSWER)
    expect(mira.locator(".message-success")).to_have_text("Posted.")
    answer = mira.locator("article.post").filter(has_text=TRUSTED_ANSWER)
    expect(answer).to_contain_text("Readers do not see this yet")

    # 3. An anonymous reader of the chapter sees the opening and neither turn after it.
    reader = new_page()
    reader.goto(live_server.url + cast.chapter.get_absolute_url())
    expect(reader.locator("main")).to_contain_text(OPENING)
    expect(reader.locator("main")).not_to_contain_text(NEW_WRITERS_TURN)
    expect(reader.locator("main")).not_to_contain_text(TRUSTED_ANSWER)

    # 4. The moderator approves Teo's turn with the review page's Approve button.
    moss = new_page()
    log_in_to_admin(moss, live_server, "moss")
    moss.get_by_role("link", name="1 post awaiting approval").click()
    moss.locator("#result_list tbody tr").first.locator("th a").click()
    expect(moss.locator(".rp-body")).to_contain_text(NEW_WRITERS_TURN)
    expect(moss.locator(".rp-answered")).to_be_visible()
    moss.get_by_role("button", name="Approve", exact=True).click()
    expect(moss.locator(".messagelist")).to_contain_text("is approved")

    # 5. The reader now sees both, in the order they were written.
    reader.reload()
    posts = reader.locator("article.post")
    expect(posts).to_have_count(3)
    for index, text in enumerate([OPENING, NEW_WRITERS_TURN, TRUSTED_ANSWER]):
        expect(posts.nth(index)).to_contain_text(text)

    assert (
        list(cast.scene.posts.order_by("number").values_list("status", flat=True))
        == [Post.Status.APPROVED] * 3
    )
