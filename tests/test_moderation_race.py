"""Two moderators deciding the same thing at the same moment, in two real threads with their
own database connections: one decision wins, the other gets a clear message, and there is
exactly one audit row and one e-mail. Runs against SQLite and PostgreSQL alike."""

import threading

import pytest
from django.core import mail
from django.db import connection

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads import moderation
from threads.models import ModerationAction, Post, Report, Story
from threads.moderation import ModerationError

pytestmark = [pytest.mark.django_db(transaction=True)]


def race(*decisions):
    """Run each decision in its own thread, released together; returns what each got:
    "done", or the ModerationError's message."""
    barrier = threading.Barrier(len(decisions))
    results = [None] * len(decisions)

    def run(index, decide):
        try:
            barrier.wait(timeout=10)
            decide()
            results[index] = "done"
        except ModerationError as error:
            results[index] = str(error)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            results[index] = f"crashed: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(decisions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def setting():
    # A transactional test starts from an empty database, so the group is made here.
    group = moderation.moderators_group()
    moderators = []
    for name in ["moss", "fern"]:
        user = make_user(name, is_staff=True)
        user.groups.add(group)
        user.has_perm("threads.moderate_post")  # fill the permission cache up front
        moderators.append(user)
    writer = make_user("mira")
    character = make_character(owner=writer)
    story = make_story(owner=writer)
    scene = make_scene(make_chapter(story), characters=[character])
    return moderators, scene, character, story


def pending_post(scene, character):
    return make_post(
        scene, character=character, status=Post.Status.PENDING, body="Four words here now."
    )


def assert_one_winner(results):
    assert sorted(r == "done" for r in results) == [False, True], results
    loser = next(r for r in results if r != "done")
    assert "already" in loser, loser


def test_two_moderators_approving_one_post_at_once(setting):
    (moss, fern), scene, character, story = setting
    post = pending_post(scene, character)
    mail.outbox.clear()
    results = race(lambda: moderation.approve(post, moss), lambda: moderation.approve(post, fern))
    assert_one_winner(results)
    assert ModerationAction.objects.filter(post=post).count() == 1
    assert len(mail.outbox) == 1
    assert Story.objects.get(pk=story.pk).word_count == 4  # counted once


def test_an_approval_and_a_rejection_racing(setting):
    (moss, fern), scene, character, story = setting
    post = pending_post(scene, character)
    mail.outbox.clear()
    results = race(
        lambda: moderation.approve(post, moss),
        lambda: moderation.reject(post, fern, "Not for this story."),
    )
    assert_one_winner(results)
    post.refresh_from_db()
    action = ModerationAction.objects.get(post=post)
    assert post.status == ("approved" if action.action == "approve" else "rejected")
    assert Story.objects.get(pk=story.pk).word_count == (4 if post.status == "approved" else 0)
    assert len(mail.outbox) == 1


def test_two_moderators_resolving_the_same_reports(setting):
    (moss, fern), scene, character, story = setting
    post = make_post(scene, character=character)
    Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
    mail.outbox.clear()
    results = race(
        lambda: moderation.resolve_reports(post, moss, "hide", "Spam."),
        lambda: moderation.resolve_reports(post, fern, "dismiss"),
    )
    assert_one_winner(results)
    assert ModerationAction.objects.filter(post=post).count() == 1
    assert Report.objects.get().resolution in {"hidden", "dismissed"}
    # One to the reporter, plus one to the writer if the post was hidden.
    assert len(mail.outbox) == (2 if Report.objects.get().resolution == "hidden" else 1)
