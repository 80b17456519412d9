import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import make_chapter, make_post, make_scene, make_story, make_user
from threads.models import Membership, Post, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(owner):
    return {
        visibility: make_story(owner=owner, visibility=visibility, title=visibility)
        for visibility in Story.Visibility.values
    }


def readable_titles(user):
    return set(Story.objects.readable_by(user).values_list("title", flat=True))


def test_anonymous_readers_see_only_public_stories(stories):
    assert readable_titles(AnonymousUser()) == {"public"}


def test_signed_in_readers_also_see_registered_only_stories(stories, stranger):
    assert readable_titles(stranger) == {"public", "registered"}


def test_members_also_see_their_drafts(stories, owner):
    assert readable_titles(owner) == {"public", "registered", "members"}


def test_an_invitation_is_not_membership(stories, stranger):
    Membership.objects.create(story=stories["members"], user=stranger, status="invited")
    assert "members" not in readable_titles(stranger)


def test_a_removed_member_loses_the_draft(stories, cowriter):
    Membership.objects.create(story=stories["members"], user=cowriter, status="removed")
    assert "members" not in readable_titles(cowriter)


def test_only_published_chapters_are_listed():
    story = make_story()
    make_chapter(story, title="Out")
    make_chapter(story, title="Draft", is_published=False)
    assert list(story.chapters.published().values_list("title", flat=True)) == ["Out"]


class TestPostVisibility:
    @pytest.fixture
    def posts(self, owner, cowriter):
        scene = make_scene(make_chapter(make_story(owner=owner, members=[cowriter])))
        # Approved first: a pending or rejected post holds readers at it (the frontier).
        statuses = sorted(Post.Status.values, key=lambda status: status != "approved")
        return {
            status: make_post(scene, author=cowriter, status=status, body=status)
            for status in statuses
        }

    def bodies(self, user, is_member=False):
        return set(
            Post.objects.visible_to(user, is_member=is_member).values_list("body", flat=True)
        )

    def test_readers_see_only_approved_posts(self, posts):
        assert self.bodies(AnonymousUser()) == {"approved"}
        assert self.bodies(make_user()) == {"approved"}

    def test_members_also_see_pending_posts(self, posts, owner):
        assert self.bodies(owner, is_member=True) == {"approved", "pending"}

    def test_the_author_also_sees_their_rejected_and_removed_posts(self, posts, cowriter):
        assert self.bodies(cowriter, is_member=True) == {
            "approved",
            "pending",
            "rejected",
            "removed",
        }

    def test_reader_mode_leaves_out_ooc_and_skips(self, owner):
        scene = make_scene()
        make_post(scene, body="story")
        make_post(scene, body="chatter", kind=Post.Kind.OUT_OF_CHARACTER)
        bodies = set(Post.objects.for_readers().values_list("body", flat=True))
        assert bodies == {"story"}
