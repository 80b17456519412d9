"""Two moderators deciding the same thing at the same moment, in two real threads with their
own database connections: one decision wins, the other gets a clear message, and there is
exactly one audit row and one e-mail. Runs against SQLite and PostgreSQL alike."""

import pytest
from django.core import mail

from tests import concurrency
from tests.factories import make_cast, make_moderator, make_pending_post, make_post, make_user
from threads import moderation
from threads.models import ModerationAction, Report, Story
from threads.moderation import ModerationError

pytestmark = [pytest.mark.django_db(transaction=True)]


def race(*decisions):
    """Run the decisions at the same moment; returns what each got: "done", or the
    ModerationError's message (anything else is reported to the test as a crash)."""
    return [outcome(result) for result in concurrency.race(*decisions)]


def outcome(result):
    if isinstance(result, ModerationError):
        return str(result)
    if isinstance(result, Exception):
        return f"crashed: {result!r}"
    return "done"


@pytest.fixture
def setting():
    # A transactional test starts from an empty database: make_moderator makes the group.
    moderators = [make_moderator("moss"), make_moderator("fern")]
    for user in moderators:
        user.has_perm("threads.moderate_post")  # fill the permission cache up front
    cast = make_cast(solo=True)
    return moderators, cast.scene, cast.aleksei, cast.story


def pending_post(scene, character):
    return make_pending_post(scene, character, body="Four words here now.")


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
