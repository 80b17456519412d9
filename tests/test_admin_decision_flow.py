"""A moderator's decisions in the admin: on to the next post waiting after each, logged under
"Recent actions", removal for good with a reason, and what an answered post holds back."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_pending_post, make_post
from threads.models import ModerationAction, Post
from threads.writing import frontier

QUEUE = "admin:threads_pendingpost_changelist"
REASON = "Spam: a link to a shop, nothing of the story."


@pytest.fixture
def moderating(client, moderator):
    client.force_login(moderator)
    return client


def waiting_in_order(cast, count):
    """``count`` pending posts in the cast's scene, each a minute older than the next."""
    start = timezone.now() - timedelta(hours=1)
    posts = []
    for index in range(count):
        character = cast.aleksei if index % 2 == 0 else cast.lucia
        post = make_pending_post(cast.scene, character, body=f"Waiting post {index}.")
        Post.objects.filter(pk=post.pk).update(created_at=start + timedelta(minutes=index))
        posts.append(post)
    return posts


def decide(client, post, decision, reason="", admin="post"):
    here = reverse(f"admin:threads_{admin}_change", args=[post.pk])
    data = {"decision": decision, "reason": reason, "here": here, "next": here}
    return client.post(reverse("admin:threads_post_decide", args=[post.pk]), data)


def queue_page(post):
    return reverse("admin:threads_pendingpost_change", args=[post.pk])


def status_of(post):
    return Post.objects.get(pk=post.pk).status


def log_entries():
    return LogEntry.objects.order_by("pk")


# On to the next post -------------------------------------------------------------------


def test_a_decision_opens_the_next_post_waiting_with_the_message(moderating, cast):
    first, second, third = waiting_in_order(cast, 3)
    response = decide(moderating, second, "approve", admin="pendingpost")
    assert response.url == queue_page(third)
    page = moderating.get(response.url)
    assert "is approved" in page.content.decode()


def test_after_the_newest_post_the_queue_starts_again_at_the_oldest(moderating, cast):
    first, second = waiting_in_order(cast, 2)
    response = decide(moderating, second, "reject", reason="Say where Aleksei is.")
    assert response.url == queue_page(first)


def test_after_the_last_post_waiting_the_moderator_is_back_at_the_queue(moderating, cast):
    (only,) = waiting_in_order(cast, 1)
    response = decide(moderating, only, "approve", admin="pendingpost")
    assert response.url == reverse(QUEUE)


def test_a_refused_decision_stays_on_the_post_and_logs_nothing(moderating, cast):
    first, second = waiting_in_order(cast, 2)
    response = decide(moderating, first, "reject", reason="  ", admin="pendingpost")
    assert response.url == queue_page(first)
    assert status_of(first) == Post.Status.PENDING
    assert not log_entries().exists()


def test_a_decision_on_an_approved_post_stays_on_its_page(moderating, cast):
    post = make_post(cast.scene, character=cast.aleksei)
    waiting_in_order(cast, 1)
    response = decide(moderating, post, "hide", reason="Needs a content note.")
    assert response.url == reverse("admin:threads_post_change", args=[post.pk])


# Recent actions ------------------------------------------------------------------------


def test_a_decision_is_logged_under_the_moderators_recent_actions(moderating, cast, moderator):
    (post,) = waiting_in_order(cast, 1)
    decide(moderating, post, "reject", reason="Say where Aleksei is.", admin="pendingpost")
    (entry,) = log_entries()
    assert (entry.user, entry.action_flag, entry.object_id) == (moderator, CHANGE, str(post.pk))
    # The post's own page, not the queue's, which no longer lists it.
    assert entry.content_type == ContentType.objects.get_for_model(Post)
    assert "is rejected" in entry.change_message
    assert "Say where Aleksei is." in entry.change_message
    index = moderating.get(reverse("admin:index")).content.decode()
    recent = index[index.index('id="recent-actions-module"') :]
    assert reverse("admin:threads_post_change", args=[post.pk]) in recent


def test_each_post_of_a_bulk_decision_is_logged(moderating, cast):
    posts = waiting_in_order(cast, 3)
    data = {"action": "approve_selected", "index": "0"}
    data[ACTION_CHECKBOX_NAME] = [post.pk for post in posts]
    moderating.post(reverse(QUEUE), data)
    logged = log_entries().values_list("object_id", "content_type__model", "change_message")
    assert list(logged) == [
        (str(post.pk), "post", "Posts approved (bulk action).") for post in posts
    ]


# Removal -------------------------------------------------------------------------------


def test_remove_takes_the_post_out_with_its_reason_and_opens_the_next(moderating, cast):
    spam, following = waiting_in_order(cast, 2)
    response = decide(moderating, spam, "remove", reason=REASON, admin="pendingpost")
    assert response.url == queue_page(following)
    assert status_of(spam) == Post.Status.REMOVED
    action = ModerationAction.objects.get(post=spam)
    assert (action.action, action.reason) == (ModerationAction.Action.REMOVE, REASON)
    assert REASON in log_entries().get().change_message


def test_remove_without_a_reason_is_refused_and_changes_nothing(moderating, cast):
    (spam,) = waiting_in_order(cast, 1)
    response = decide(moderating, spam, "remove", reason="", admin="pendingpost")
    assert response.url == queue_page(spam)
    assert status_of(spam) == Post.Status.PENDING
    assert not ModerationAction.objects.exists()
    assert not log_entries().exists()


def test_an_approved_post_can_be_removed_from_its_review_page(moderating, cast):
    post = make_post(cast.scene, character=cast.aleksei)
    page = moderating.get(reverse("admin:threads_post_change", args=[post.pk])).content.decode()
    assert 'value="remove" class="rp-decision rp-decision-remove"' in page
    decide(moderating, post, "remove", reason=REASON)
    assert status_of(post) == Post.Status.REMOVED


@pytest.mark.parametrize("changelist", [QUEUE, "admin:threads_post_changelist"])
def test_bulk_remove_asks_for_a_reason_then_removes(moderating, cast, changelist):
    posts = waiting_in_order(cast, 2)
    data = {"action": "remove_selected", "index": "0"}
    data[ACTION_CHECKBOX_NAME] = [post.pk for post in posts]
    asked = moderating.post(reverse(changelist), data)
    assert "Remove these posts for good" in asked.content.decode()
    assert {status_of(post) for post in posts} == {Post.Status.PENDING}
    moderating.post(reverse(changelist), {**data, "apply": "yes", "reason": REASON})
    assert {status_of(post) for post in posts} == {Post.Status.REMOVED}
    assert log_entries().count() == 2


# What an answered post holds back ------------------------------------------------------


@pytest.fixture
def answered(cast):
    """A pending post answered by two live posts, with an OOC note and a withdrawn post
    after it that answer nothing."""
    post = make_pending_post(cast.scene, cast.lucia, body="Lucia waits at the ford.")
    make_post(cast.scene, character=cast.aleksei)
    make_pending_post(cast.scene, cast.lucia)
    make_post(cast.scene, author=cast.mira, kind=Post.Kind.OUT_OF_CHARACTER)
    make_post(cast.scene, character=cast.aleksei, status=Post.Status.WITHDRAWN)
    return post


HOLDS_BACK = "2 later posts answer it: rejecting it holds the rest of the scene back from readers"


@pytest.mark.parametrize("admin", ["post", "pendingpost"])
def test_the_review_page_says_how_many_later_posts_answer_it(moderating, answered, admin):
    page = moderating.get(reverse(f"admin:threads_{admin}_change", args=[answered.pk]))
    assert HOLDS_BACK in page.content.decode()


def test_the_queue_says_how_many_later_posts_answer_each_post(moderating, answered, cast):
    page = moderating.get(reverse(QUEUE)).content.decode()
    assert HOLDS_BACK in page
    # The later pending post is followed only by an OOC note and a withdrawn post.
    assert "No later post answers it yet: rejecting it" in page
    later_pending = Post.objects.filter(status=Post.Status.PENDING).order_by("number").last()
    assert (frontier.answers(answered), frontier.answers(later_pending)) == (2, 0)


def test_a_post_nobody_answered_says_so(moderating, cast):
    (post,) = waiting_in_order(cast, 1)
    page = moderating.get(queue_page(post)).content.decode()
    assert "No later post answers it yet: rejecting it holds" in page


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_reads_a_fixed_number_of_queries(moderating, cast):
    waiting_in_order(cast, 2)
    few = queries_for(moderating, reverse(QUEUE))
    waiting_in_order(cast, 10)
    make_post(cast.scene, character=cast.aleksei)
    assert queries_for(moderating, reverse(QUEUE)) == few
    assert few <= 9
