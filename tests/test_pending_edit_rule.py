"""One rule for "an edit awaiting approval" (Revision.objects.pending_edits): a pending
revision of an approved post, and its post's newest revision. The moderators' queue and
counts, the scene page's note, the edit page and the admin review page all ask it."""

import pytest

from tests.factories import make_post
from threads.models import Post, Revision
from threads.writing import posting


@pytest.fixture
def post(cast):
    """Mira's approved post, edited once: the edit waits, as hers need review."""
    post = make_post(cast.scene, character=cast.aleksei, body="The old bridge held.")
    posting.edit_post(post, cast.mira, "The old rope bridge held.")
    return post


def awaiting(post):
    """Every way of asking, for one post: the queue, the model method, the annotation."""
    queue = list(Revision.objects.pending_edits().filter(post=post))
    annotated = Post.objects.with_pending_edit().get(pk=post.pk).has_pending_edit
    method = post.pending_edit()
    assert annotated == (method is not None)
    assert queue == ([method] if method else [])
    return method


def test_an_edit_of_an_approved_post_awaits_approval(post):
    edit = awaiting(post)
    assert (edit.number, edit.body) == (2, "The old rope bridge held.")


def test_a_post_without_a_pending_revision_has_no_edit_awaiting(cast):
    post = make_post(cast.scene, character=cast.aleksei)
    assert awaiting(post) is None


def test_a_pending_revision_under_a_newer_one_is_not_awaiting(post, cast):
    Revision.objects.create(post=post, number=3, body="Newer.", editor=cast.mira)
    assert post.revisions.filter(status=Revision.Status.PENDING).count() == 1
    assert awaiting(post) is None


def test_a_pending_revision_of_a_post_no_longer_approved_is_not_awaiting(post):
    # Hidden after a report: no moderator can decide on the edit, so nobody is told it waits.
    Post.objects.filter(pk=post.pk).update(status=Post.Status.REJECTED)
    post.refresh_from_db()
    assert post.revisions.filter(status=Revision.Status.PENDING).exists()
    assert awaiting(post) is None


def test_the_writer_edits_from_the_text_awaiting_approval(post):
    assert posting.current_text(post) == "The old rope bridge held."


def test_the_writer_edits_from_the_post_text_once_nothing_awaits(post):
    Post.objects.filter(pk=post.pk).update(status=Post.Status.REJECTED)
    post.refresh_from_db()
    assert posting.current_text(post) == "The old bridge held."
