"""A suspended writer is told so where it matters, and loses none of what they wrote."""

from tests.cases import CastTestCase
from tests.factories import make_post


class SuspendedWriterTurnPanelTest(CastTestCase):
    def test_a_suspended_writer_who_is_up_is_not_told_it_is_their_turn(self):
        self.mira.suspend("Spam links")
        self.client.force_login(self.mira)
        response = self.client.get(self.scene.get_absolute_url())
        self.assertContains(response, "but your account is suspended, so you cannot post it")
        self.assertNotContains(response, "<strong>Your turn</strong>")


class SuspendedMidFormTest(CastTestCase):
    def test_text_sent_after_a_suspension_comes_back_to_copy(self):
        self.client.force_login(self.mira)
        self.mira.suspend("Spam links")
        response = self.client.post(
            f"/write/stories/{self.story.slug}/edit/",
            {"title": "New title", "summary": "A long summary I worked on <b>hard</b>."},
        )
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Spam links", status_code=403)
        self.assertContains(
            response, "A long summary I worked on &lt;b&gt;hard&lt;/b&gt;.", status_code=403
        )
        self.story.refresh_from_db()
        self.assertNotEqual(self.story.title, "New title")


class SuspendedReporterTest(CastTestCase):
    def test_a_report_note_sent_after_a_suspension_comes_back_to_copy(self):
        post = make_post(self.scene, character=self.lucia)
        self.client.force_login(self.mira)
        self.mira.suspend("Spam links")
        response = self.client.post(
            f"/posts/{post.pk}/report/", {"reason": "other", "note": "This breaks the rules."}
        )
        self.assertContains(response, "This breaks the rules.", status_code=403)
        self.assertFalse(post.reports.exists())
