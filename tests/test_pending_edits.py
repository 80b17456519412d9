"""A post has at most one edit awaiting approval: a new edit supersedes (rejects) an older
one still waiting, so no edit is left pending where no moderator can see it, and the scene
page's "awaiting approval" note always goes away once the moderators decide."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import make_cast, make_moderator, make_post
from threads import moderation
from threads.models import Revision
from threads.writing import posting

AWAITING = "Your edit is awaiting approval"


class PendingEditTests(TestCase):
    """Mira, a writer whose edits wait for a moderator, edits her approved post twice."""

    @classmethod
    def setUpTestData(cls):
        cast = make_cast(solo=True)
        cls.mira, cls.aleksei, cls.scene = cast.mira, cast.aleksei, cast.scene
        cls.moss = make_moderator()

    def setUp(self):
        self.post = make_post(self.scene, character=self.aleksei, body="The old bridge held.")
        self.first = posting.edit_post(self.post, self.mira, "The old rope bridge held.")
        self.second = posting.edit_post(self.post, self.mira, "The old stone bridge held.")

    def statuses(self):
        return list(self.post.revisions.order_by("number").values_list("number", "status"))

    def scene_page(self):
        self.client.force_login(self.mira)
        return self.client.get(self.scene.get_absolute_url())

    def test_a_second_edit_supersedes_the_first_so_only_the_newest_waits(self):
        self.assertEqual(self.statuses(), [(1, "approved"), (2, "rejected"), (3, "pending")])
        queue = Revision.objects.pending_edits()
        self.assertEqual(list(queue), [self.second])

    def test_rejecting_the_newest_edit_leaves_nothing_awaiting_approval(self):
        self.assertContains(self.scene_page(), AWAITING)
        moderation.reject_edit(self.second, self.moss, "Keep the rope.")
        self.assertFalse(self.post.revisions.filter(status=Revision.Status.PENDING).exists())
        page = self.scene_page()
        self.assertNotContains(page, AWAITING)
        self.assertContains(page, "The old bridge held.")
        edit_page = self.client.get(reverse("post_edit", args=[self.post.pk]))
        self.assertNotContains(edit_page, "An earlier edit is awaiting approval")
        self.assertContains(edit_page, "The old bridge held.</textarea>")

    def test_a_trusted_edit_supersedes_an_edit_still_waiting(self):
        self.mira.is_trusted = True
        self.mira.save()
        posting.edit_post(self.post, self.mira, "The old iron bridge held.")
        self.post.refresh_from_db()
        self.assertEqual(self.post.body, "The old iron bridge held.")
        self.assertEqual(self.statuses()[-2:], [(3, "rejected"), (4, "approved")])
        self.assertNotContains(self.scene_page(), AWAITING)

    def test_an_edit_waiting_under_a_newer_revision_is_not_shown_as_awaiting(self):
        # As left by the old code: an older edit still pending under a newer decided one.
        Revision.objects.filter(pk=self.first.pk).update(status=Revision.Status.PENDING)
        Revision.objects.filter(pk=self.second.pk).update(status=Revision.Status.REJECTED)
        self.assertNotContains(self.scene_page(), AWAITING)
        edit_page = self.client.get(reverse("post_edit", args=[self.post.pk]))
        self.assertNotContains(edit_page, "An earlier edit is awaiting approval")

    def test_history_tells_a_replaced_edit_from_one_a_moderator_rejected(self):
        moderation.reject_edit(self.second, self.moss, "Keep the rope.")
        self.client.force_login(self.mira)
        page = self.client.get(reverse("post_history", args=[self.post.pk])).content.decode()
        version_2 = page.split("Version 2", 1)[1].split("Version 1", 1)[0]
        version_3 = page.split("Version 3", 1)[1].split("Version 2", 1)[0]
        self.assertIn("Replaced by a later edit", version_2)
        self.assertIn("Rejected", version_3)
        self.assertNotIn("Replaced", version_3)
