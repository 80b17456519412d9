"""Comments on chapters: who sees a pending, approved, rejected, reported or hidden comment;
comments off, registered-only and blocks refuse with the text kept; writers reply; mutes
keep a writer's stories out of the reader's lists."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import make_moderator, make_post, make_user
from threads.library import comments, outbox
from threads.models import Comment, CommentReport, ModerationAction, Notification, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(cast):
    make_post(cast.scene, character=cast.aleksei, body="The lamps went out one by one.")
    return cast.chapter


@pytest.fixture
def reader(stranger):
    return stranger


def chapter_page(client, chapter):
    return client.get(chapter.get_absolute_url()).content.decode()


def post_comment(client, chapter, body, **extra):
    url = reverse("comment_post", args=[chapter.story.slug, chapter.number])
    return client.post(url, {"body": body, **extra})


def test_an_untrusted_readers_comment_waits_and_only_they_see_it(client, chapter, reader):
    client.force_login(reader)
    post_comment(client, chapter, "Loved the *lamps*.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "<em>lamps</em>" in comment.body_html
    assert "Loved the" in chapter_page(client, chapter)
    client.force_login(make_user("other"))
    assert "Loved the" not in chapter_page(client, chapter)
    client.logout()
    assert "Loved the" not in chapter_page(client, chapter)


def test_an_approved_comment_is_seen_by_everyone_and_its_writers_are_told(
    client, chapter, reader, moderator
):
    comment = comments.submit(chapter, reader, "Beautiful chapter.")
    comments.approve(comment, moderator)
    assert "Beautiful chapter." in chapter_page(client, chapter)
    assert ModerationAction.objects.filter(comment=comment, action="c_approve").exists()
    recipients = set(Notification.objects.filter(kind="comment").values_list("user", flat=True))
    assert recipients == {
        chapter.story.memberships.get(role="owner").user_id,
        *[m.user_id for m in chapter.story.memberships.filter(role="co_writer")],
    }
    mail.outbox.clear()
    assert outbox.send_due() == 2
    assert "Beautiful chapter." in mail.outbox[0].body


def test_a_rejected_comment_is_seen_only_by_its_author_with_the_reason(
    client, chapter, reader, moderator
):
    comment = comments.submit(chapter, reader, "Buy cheap lamps here.")
    comments.reject(comment, moderator, "Advertising.")
    client.force_login(reader)
    page = chapter_page(client, chapter)
    assert "Buy cheap lamps" in page and "Advertising." in page
    client.force_login(chapter.story.memberships.get(role="owner").user)
    assert "Buy cheap lamps" not in chapter_page(client, chapter)
    assert not Notification.objects.filter(kind="comment").exists()


def test_a_reported_comment_stays_until_hidden_then_only_its_author_sees_it(
    client, chapter, reader, moderator
):
    comment = comments.submit(chapter, reader, "A rude remark.")
    comments.approve(comment, moderator)
    client.force_login(make_user("ana"))
    client.post(reverse("comment_report", args=[comment.pk]), {"reason": "harassment"})
    assert CommentReport.objects.filter(comment=comment, resolution="open").count() == 1
    client.logout()
    assert "A rude remark." in chapter_page(client, chapter)
    assert comments.resolve_reports(comment, moderator, "hide", "Unkind.") == 1
    assert "A rude remark." not in chapter_page(client, chapter)
    client.force_login(reader)
    page = chapter_page(client, chapter)
    assert "A rude remark." in page and "Unkind." in page
    assert Comment.objects.get().status == Comment.Status.HIDDEN


def test_a_trusted_readers_comment_is_approved_at_once(client, chapter):
    trusted = make_user("tess", is_trusted=True)
    client.force_login(trusted)
    post_comment(client, chapter, "Straight in.")
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_only_the_storys_writers_reply(client, cast, chapter, reader):
    trusted = make_user("tess", is_trusted=True)
    comment = comments.submit(chapter, trusted, "Question for the writers?")
    client.force_login(reader)
    post_comment(client, chapter, "Not a writer.", parent=comment.pk)
    assert not Comment.objects.filter(parent=comment).exists()
    client.force_login(cast.teo)
    post_comment(client, chapter, "Thank you!", parent=comment.pk)
    assert Comment.objects.filter(parent=comment).count() == 1


@pytest.mark.parametrize("policy", ["off", "blocked"])
def test_a_refused_comment_keeps_its_text_and_saves_nothing(client, cast, chapter, reader, policy):
    if policy == "off":
        Story.objects.filter(pk=cast.story.pk).update(comment_policy="off")
    else:
        client.force_login(cast.mira)
        client.post(reverse("block_reader", args=[reader.username]))
    client.force_login(reader)
    response = post_comment(client, chapter, "My long careful comment.")
    assert response.status_code == 403
    assert "My long careful comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_anonymous_comment_is_refused_with_its_text(client, chapter):
    response = post_comment(client, chapter, "Anonymous words.")
    assert response.status_code == 403
    assert "Anonymous words." in response.content.decode()
    assert not Comment.objects.exists()


def test_registered_only_comments_are_hidden_from_anonymous_readers(client, cast, chapter, reader):
    comment = comments.submit(chapter, make_user("tess", is_trusted=True), "Signed-in talk.")
    assert comment.is_approved
    Story.objects.filter(pk=cast.story.pk).update(comment_policy="registered")
    assert "Signed-in talk." not in chapter_page(client, chapter)
    client.force_login(reader)
    assert "Signed-in talk." in chapter_page(client, chapter)


def test_a_comment_over_the_post_limit_is_refused_with_its_text(client, chapter, reader, settings):
    settings.RP_MAX_POST_LENGTH = 20
    client.force_login(reader)
    response = post_comment(client, chapter, "x" * 21)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_muted_writers_stories_leave_the_readers_lists(client, cast, chapter, reader):
    client.force_login(reader)
    title = cast.story.title
    assert title in client.get(reverse("home")).content.decode()
    client.post(reverse("mute_writer", args=[cast.teo.username]))
    assert title not in client.get(reverse("home")).content.decode()
    assert title not in client.get(reverse("story_list")).content.decode()
    assert not Story.objects.not_muted_by(reader).filter(pk=cast.story.pk).exists()
    client.post(reverse("mute_writer", args=[cast.teo.username]), {"undo": "1"})
    assert title in client.get(reverse("story_list")).content.decode()


def test_the_moderators_group_may_decide_on_comments(chapter, reader):
    moss = make_moderator("moss2")
    assert moss.has_perm("threads.moderate_comment")
    comment = comments.submit(chapter, reader, "Hello.")
    with pytest.raises(PermissionDenied):
        comments.approve(comment, reader)
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_the_admin_queue_approves_in_bulk(client, chapter, reader, moderator):
    comment = comments.submit(chapter, reader, "Queue me.")
    client.force_login(moderator)
    queue = reverse("admin:threads_pendingcomment_changelist")
    assert "Queue me." in client.get(queue).content.decode()
    client.post(queue, {"action": "approve_selected", "_selected_action": [comment.pk]})
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_writers_are_offered_a_reply_and_their_comments_are_marked(client, cast, chapter, reader):
    trusted = make_user("tess", is_trusted=True)
    question = comments.submit(chapter, trusted, "Question for the writers?")
    answer = comments.submit(chapter, cast.teo, "An answer.", parent=question)
    comments.approve(answer, make_moderator())
    client.force_login(reader)
    page = chapter_page(client, chapter)
    assert page.count('<span class="role">(writer)</span>') == 1
    assert "Reply as a writer" not in page
    client.force_login(cast.mira)
    assert "Reply as a writer" in chapter_page(client, chapter)
