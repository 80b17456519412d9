"""Cached word counts add up under concurrent approvals: counters change with F() in the
database, never as a count read into Python, changed and written back (two moderators doing
that at once would each write their own total and one approval's words would be lost).
Runs against SQLite and PostgreSQL alike."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import concurrency
from tests.factories import make_moderator, make_pending_post, make_scene
from threads import moderation
from threads.models import Chapter, Post, Scene, Story

pytestmark = [pytest.mark.django_db(transaction=True)]

# A counter UPDATE that adds to what the row holds: SET "word_count" = ("table"."word_count" + …
RELATIVE = re.compile(r'"word_count" = \(?"\w+"\."word_count" [+-]')


@pytest.fixture
def moderators():
    # A transactional test starts from an empty database: make_moderator makes the group.
    moderators = [make_moderator("moss"), make_moderator("fern")]
    for user in moderators:
        user.has_perm("threads.moderate_post")  # fill the permission cache up front
    return moderators


@pytest.fixture
def pending(cast):
    """Three posts waiting in one chapter: Aleksei's (4 words) and Lucia's answer (3) in the
    cast's scene, and Aleksei's (5) in a second scene."""
    second = make_scene(cast.chapter, [cast.aleksei])
    return [
        make_pending_post(cast.scene, cast.aleksei, body="One two three four."),
        make_pending_post(cast.scene, cast.lucia, body="Five six seven."),
        make_pending_post(second, cast.aleksei, body="Eight nine ten eleven twelve."),
    ]


def word_counts(cast, second):
    return {
        "story": Story.objects.get(pk=cast.story.pk).word_count,
        "chapter": Chapter.objects.get(pk=cast.chapter.pk).word_count,
        "scene": Scene.objects.get(pk=cast.scene.pk).word_count,
        "second scene": Scene.objects.get(pk=second.pk).word_count,
    }


def test_approvals_at_the_same_moment_all_count(cast, moderators, pending):
    moss, fern = moderators
    results = concurrency.race(
        lambda: moderation.approve(pending[0], moss),
        lambda: moderation.approve(pending[1], fern),
        lambda: moderation.approve(pending[2], moss),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(Post.objects.values_list("status", flat=True)) == {Post.Status.APPROVED}
    assert word_counts(cast, pending[2].scene) == {
        "story": 12,
        "chapter": 12,
        "scene": 7,
        "second scene": 5,
    }


def test_an_approval_changes_each_count_relative_to_what_the_row_holds(cast, moderators, pending):
    # The race above catches a read-modify-write on PostgreSQL, where approvals in different
    # scenes run side by side. SQLite lets one writer at a time through, so there it passes
    # either way; this check does not depend on the database or on timing: every counter
    # written while approving is written as "add to the stored value".
    with CaptureQueriesContext(connection) as queries:
        moderation.approve(pending[0], moderators[0])
    written = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "word_count" in q["sql"]
    ]
    tables = {re.search(r'UPDATE "(\w+)"', sql).group(1) for sql in written}
    assert {"threads_story", "threads_chapter", "threads_scene"} <= tables, written
    for sql in written:
        if '"word_count" =' in sql and not sql.startswith('UPDATE "threads_post"'):
            assert RELATIVE.search(sql), sql
