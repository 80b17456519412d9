"""A post's way through moderation in real Chromium: a writer submits it, a moderator rejects
it in /admin with a reason, the writer reads the reason, edits and resubmits, the moderator
approves it, and an anonymous reader finds it in the chapter."""

import pytest
from playwright.sync_api import expect

from tests.browser import accept_leave_prompts, log_in
from tests.factories import PASSWORD, make_cast, make_moderator, make_post
from threads.models import ModerationAction, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_DRAFT = "Lucia waded in up to her knees and swore at the cold."
SECOND_DRAFT = "Lucia waded in up to her knees. The river was colder than she had promised."
REASON = "Please keep the language in line with the Teen rating."


def log_in_to_admin(page, live_server, username):
    page.goto(f"{live_server.url}/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".rp-waiting")).to_be_visible()


def test_a_rejected_post_is_edited_resubmitted_and_approved(live_server, new_page):
    cast = make_cast(
        names=("Aleksei Varga", "Lucia Ferro"),
        story_title="The Lantern Road",
        scene_title="The Ford",
    )
    make_moderator("moss")  # makes the group too: a transactional test starts with none
    chapter, scene, lucia = cast.chapter, cast.scene, cast.lucia
    make_post(scene, character=cast.aleksei, body="Aleksei held the lantern over the water.")

    # 1. The writer, not trusted, submits a post: it waits for a moderator.
    teo = new_page()
    log_in(teo, live_server, "teo")
    accept_leave_prompts(teo)
    teo.goto(live_server.url + scene.get_absolute_url())
    teo.get_by_label("Your post").fill(FIRST_DRAFT)
    teo.get_by_role("button", name="Post", exact=True).click()
    expect(teo.locator(".message-success")).to_contain_text("waits for a moderator")

    # 2. The moderator sees it counted on the admin index, opens it from the queue and
    # rejects it with a reason, seeing the post before it for context.
    moss = new_page()
    log_in_to_admin(moss, live_server, "moss")
    expect(moss.locator(".rp-waiting")).to_contain_text("1 post awaiting approval")
    moss.get_by_role("link", name="1 post awaiting approval").click()
    moss.locator("#result_list tbody tr").first.locator("th a").click()
    expect(moss.locator(".rp-previous")).to_contain_text("held the lantern over the water")
    expect(moss.locator(".rp-body")).to_contain_text(FIRST_DRAFT)
    moss.get_by_label("Reason, to reject or remove").fill(REASON)
    moss.get_by_role("button", name="Reject", exact=True).click()
    expect(moss.locator(".messagelist")).to_contain_text("is rejected")

    # 3. The writer sees the reason on the scene page, edits and resubmits.
    teo.goto(live_server.url + scene.get_absolute_url())
    expect(teo.locator(".rejection")).to_contain_text(REASON)
    teo.locator(".post-rejected").get_by_role("link", name="Edit").click()
    teo.get_by_label("Text").fill(SECOND_DRAFT)
    teo.get_by_role("button", name="Save").click()
    expect(teo.locator(".message-success")).to_contain_text("waits for a moderator again")
    expect(teo.locator(".post-pending")).to_contain_text("Awaiting approval")

    # 4. The moderator approves it from the queue with the bulk action.
    moss.goto(f"{live_server.url}/admin/threads/pendingpost/")
    expect(moss.locator("#result_list")).to_contain_text("colder than she had promised")
    moss.locator("#result_list tbody tr").first.locator("input.action-select").check()
    moss.locator("select[name=action]").select_option("approve_selected")
    moss.get_by_role("button", name="Go").click()
    expect(moss.locator(".messagelist")).to_contain_text("Posts approved: 1")

    # 5. An anonymous reader finds the approved text in the chapter.
    reader = new_page()
    reader.goto(live_server.url + chapter.get_absolute_url())
    expect(reader.locator("main")).to_contain_text(SECOND_DRAFT)
    expect(reader.locator("main")).not_to_contain_text(FIRST_DRAFT)

    post = Post.objects.get(character=lucia)
    assert post.status == Post.Status.APPROVED
    assert list(
        ModerationAction.objects.filter(post=post).order_by("pk").values_list("action", "reason")
    ) == [("reject", REASON), ("approve", "")]
