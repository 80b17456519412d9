"""What a reader, a story member, the author and a stranger each see of pending, approved,
rejected and edited-pending posts: in the QuerySet, in the chapter (reader mode) and on the
scene page (the writers' workspace)."""

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from tests.factories import make_cast, make_moderator, make_pending_post, make_post, make_user
from threads import moderation
from threads.models import Post, Revision

# Who sees which post in Post.objects.visible_to: a reader is signed out, a stranger is
# signed in but not in the story.
EXPECTED = {
    "reader": {"approved", "edited"},
    "stranger": {"approved", "edited"},
    "member": {"approved", "edited", "pending"},
    "author": {"approved", "edited", "pending", "rejected"},
}


class VisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cast = make_cast(lucia=False)
        cls.author, cls.member, character = cast.mira, cast.teo, cast.aleksei
        cls.chapter, cls.scene = cast.chapter, cast.scene
        cls.stranger = make_user("sasha")
        cls.moderator = make_moderator("moss")
        # The published posts come first: readers see a scene only up to its first pending or
        # rejected post (the reading frontier, tested in test_reading_frontier.py).
        cls.posts = {
            "approved": make_post(cls.scene, character=character, body="The approved line."),
            "edited": make_post(cls.scene, character=character, body="The line before the edit."),
            "pending": make_pending_post(cls.scene, character, body="The waiting line."),
            "rejected": make_post(
                cls.scene,
                character=character,
                status="rejected",
                moderation_reason="Please add a content warning.",
                body="The rejected line.",
            ),
        }
        Revision.objects.create(
            post=cls.posts["edited"],
            number=2,
            body="The line after the edit.",
            editor=cls.author,
            status="pending",
        )

    def viewer(self, who):
        return AnonymousUser() if who == "reader" else getattr(self, who)

    def test_each_viewer_sees_exactly_the_posts_the_policy_allows(self):
        names = {post.pk: name for name, post in self.posts.items()}
        for who, expected in EXPECTED.items():
            with self.subTest(viewer=who):
                visible = Post.objects.filter(scene=self.scene).visible_to(
                    self.viewer(who), is_member=who in {"member", "author"}
                )
                self.assertEqual({names[p.pk] for p in visible}, expected)

    def test_the_chapter_shows_everyone_only_approved_text(self):
        for who in EXPECTED:
            with self.subTest(viewer=who):
                if who != "reader":
                    self.client.force_login(self.viewer(who))
                page = self.client.get(self.chapter.get_absolute_url())
                self.assertContains(page, "The approved line.")
                self.assertContains(page, "The line before the edit.")
                self.assertNotContains(page, "The line after the edit.")
                self.assertNotContains(page, "The waiting line.")
                self.assertNotContains(page, "The rejected line.")
                self.client.logout()

    def test_members_see_pending_posts_marked_on_the_scene_page(self):
        self.client.force_login(self.member)
        page = self.client.get(self.scene.get_absolute_url())
        self.assertContains(page, "The waiting line.")
        self.assertContains(page, "Awaiting approval")
        self.assertNotContains(page, "The rejected line.")

    def test_the_author_sees_their_rejected_post_with_the_reason(self):
        self.client.force_login(self.author)
        page = self.client.get(self.scene.get_absolute_url())
        self.assertContains(page, "The rejected line.")
        self.assertContains(page, "Please add a content warning.")

    def test_a_stranger_sees_only_approved_posts_on_the_scene_page(self):
        self.client.force_login(self.stranger)
        page = self.client.get(self.scene.get_absolute_url())
        self.assertContains(page, "The approved line.")
        self.assertNotContains(page, "The waiting line.")
        self.assertNotContains(page, "The rejected line.")
        self.assertNotContains(page, "The line after the edit.")

    def test_an_approved_edit_replaces_the_text_readers_see(self):
        revision = Revision.objects.get(post=self.posts["edited"], number=2)
        moderation.approve_edit(revision, self.moderator)
        page = self.client.get(self.chapter.get_absolute_url())
        self.assertContains(page, "The line after the edit.")
        self.assertNotContains(page, "The line before the edit.")

    def test_a_rejected_edit_leaves_readers_the_approved_text(self):
        revision = Revision.objects.get(post=self.posts["edited"], number=2)
        moderation.reject_edit(revision, self.moderator, "Keep the original.")
        page = self.client.get(self.chapter.get_absolute_url())
        self.assertContains(page, "The line before the edit.")
        self.assertNotContains(page, "The line after the edit.")

    def test_an_approved_post_appears_in_the_chapter_and_a_hidden_one_leaves_it(self):
        moderation.approve(self.posts["pending"], self.moderator)
        self.assertContains(self.client.get(self.chapter.get_absolute_url()), "The waiting line.")
        moderation.hide(self.posts["approved"], self.moderator, "Reported and upheld.")
        page = self.client.get(self.chapter.get_absolute_url())
        self.assertNotContains(page, "The approved line.")
