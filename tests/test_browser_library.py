"""A reader in real Chromium: reads chapter 1 and leaves; comes back and "continue reading"
lands on the same post; moves with j and k; sets a reader-insert name and sees it, as text,
in a second-person chapter; leaves a comment, which waits for a moderator; leaves kudos."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Comment, PendingComment, ReadingPosition
from threads.moderation import needs_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "You count the lamps along the quay while the tide comes in, and each one you pass "
    "goes out behind you, as if the harbour were keeping its light for someone else. "
) * 6


@pytest.fixture
def second_person_story():
    writer = make_user("kofi", display_name="Kofi")
    corwin = make_character(owner=writer, name="Corwin")
    story = make_story(owner=writer, title="Eighty-One Stones", reader_insert=True)
    chapter = make_chapter(story, title="The Far Side")
    scene = make_scene(chapter, [corwin], turn_mode="free")
    posts = [make_post(scene, author=writer, body=f"Post {n}. {PARAGRAPH}") for n in range(1, 9)]
    posts.append(make_post(scene, character=corwin, body="“Walk where the stones are dark, Y/N.”"))
    make_chapter(story, title="The Lighthouse")
    return story, chapter, posts


def wait_until_at_top(page, post):
    """Wait until ``post`` starts at the top of the window, as the reader sees it."""
    page.wait_for_function(
        "id => Math.abs(document.getElementById(id).getBoundingClientRect().top) < 5",
        arg=f"post-{post.scene_id}-{post.number}",
    )


def wait_for_position(user, post, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ReadingPosition.objects.filter(user=user, post=post).exists():
            return
        time.sleep(0.2)
    raise AssertionError(f"the position at post {post.number} was not saved")


def comment_step(page, chapter_url, reader):
    """The reader leaves a comment on the chapter through its form. An untrusted reader's
    comment waits for a moderator (threads.library.comments.submit): the reader sees it
    marked as awaiting approval, and it stands in the moderators' queue."""
    assert needs_review(reader)  # the premise: a confirmed reader, not trusted
    text = "The lamps going out behind you: I held my breath until the last one."
    page.goto(chapter_url)
    comments = page.locator("#comments")
    comments.get_by_label("Your comment").fill(text)
    comments.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("your comment shows once a moderator approves it")).to_be_visible()
    mine = page.locator("article.comment", has_text=text)
    expect(mine.locator(".badge")).to_have_text("Awaiting approval")
    queued = PendingComment.objects.filter(status=Comment.Status.PENDING, author=reader)
    assert list(queued.values_list("body", flat=True)) == [text]
    page.wait_for_url(f"**#comment-{queued.get().pk}")


def test_reader_continues_where_they_left_off(live_server, new_page, second_person_story):
    story, chapter, posts = second_person_story
    reader = make_user("rowan", display_name="Rowan")
    page = new_page()
    log_in(page, live_server, "rowan")
    chapter_url = live_server.url + chapter.get_absolute_url()

    # Reads chapter 1 to the sixth post, then leaves.
    page.goto(chapter_url)
    expect(page.get_by_text("Keyboard: j/k posts, ←/→ chapters")).to_be_visible()
    sixth = posts[5]
    page.evaluate(
        "id => document.getElementById(id).scrollIntoView({block: 'start'})",
        f"post-{sixth.scene_id}-{sixth.number}",
    )
    wait_for_position(reader, sixth)
    page.goto(live_server.url + "/")

    # Comes back: "continue reading" lands on the same post.
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("link", name="Continue reading").click()
    page.wait_for_url(f"**#post-{sixth.scene_id}-{sixth.number}")
    wait_until_at_top(page, sixth)

    # j and k move a post at a time; not while typing.
    page.keyboard.press("j")
    wait_until_at_top(page, posts[6])
    page.keyboard.press("k")
    wait_until_at_top(page, posts[5])
    page.keyboard.press("k")
    wait_until_at_top(page, posts[4])
    page.get_by_text("Reading settings").click()
    page.get_by_label("Text size").focus()
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("j")  # in a form control: the page stays where it is
    page.wait_for_timeout(700)
    assert page.evaluate("window.scrollY") == scrolled
    page.get_by_label("Text size").blur()
    page.reload()
    page.goto(f"{chapter_url}#post-{posts[4].scene_id}-{posts[4].number}")
    wait_until_at_top(page, posts[4])
    page.keyboard.press("j")
    page.keyboard.press("j")  # pressed before the first scroll ends: one more post on
    wait_until_at_top(page, posts[6])

    # A name with markup in it shows as text in the second-person post.
    page.get_by_role("link", name="Set your name").click()
    page.get_by_label("Your name in reader-insert stories").fill("<b>Rowan</b>")
    page.get_by_role("button", name="Save the name").click()
    page.wait_for_url(f"**{chapter.get_absolute_url()}**")
    inserted = page.locator(".post-body .rp-insert").first
    expect(inserted).to_have_text("<b>Rowan</b>")
    assert page.locator(".post-body .rp-insert b").count() == 0

    comment_step(page, chapter_url, reader)

    # Kudos, once.
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("button", name="Leave kudos").click()
    expect(page.locator(".kudos-count")).to_contain_text("1 kudos · including yours")
    expect(page.get_by_role("button", name="Leave kudos")).to_have_count(0)
