"""Bulk actions that need a reason: rejecting edits from the queue and suspending writers.
The moderator first gets a page asking for the reason; without one they stay there with an
error and nothing happens; with one, the action runs and the reason is recorded."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import TestCase
from django.urls import reverse

from tests.factories import make_cast, make_moderator, make_post, make_user
from threads.models import ModerationAction, Revision, User
from threads.writing import posting

REASON_ERROR = "Give a reason: the writer will see it."


class ReasonPageTestCase(TestCase):
    changelist = ""  # the admin list the action runs from
    action = ""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_moderator("moss")

    def setUp(self):
        self.client.force_login(self.moderator)

    def choose_action(self, selected):
        """Tick ``selected`` in the list and press Go, as the changelist's form does."""
        data = {"action": self.action, "index": "0", ACTION_CHECKBOX_NAME: selected}
        return self.client.post(reverse(self.changelist), data)

    def give_reason(self, selected, reason):
        """Submit the reason page's form."""
        data = {
            "action": self.action,
            "apply": "yes",
            "reason": reason,
            ACTION_CHECKBOX_NAME: selected,
        }
        return self.client.post(reverse(self.changelist), data)

    def assert_reason_page(self, response, selected):
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "admin/threads/reason_form.html")
        self.assertContains(response, 'name="reason"')
        for pk in selected:
            self.assertContains(
                response, f'<input type="hidden" name="{ACTION_CHECKBOX_NAME}" value="{pk}">'
            )


class RejectEditsTests(ReasonPageTestCase):
    changelist = "admin:threads_pendingedit_changelist"
    action = "reject_selected"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cast = make_cast(story_title="Salt Marsh", scene_title="Reeds")
        cls.mira, cls.teo, cls.aleksei, cls.lucia = cast.mira, cast.teo, cast.aleksei, cast.lucia
        cls.scene = cast.scene

    def setUp(self):
        super().setUp()
        first = make_post(self.scene, character=self.aleksei, body="The reeds bent east.")
        second = make_post(self.scene, character=self.lucia, body="She counted the herons.")
        self.edits = [
            posting.edit_post(first, self.mira, "The reeds bent west."),
            posting.edit_post(second, self.teo, "She counted the egrets."),
        ]
        self.selected = [edit.pk for edit in self.edits]

    def statuses(self):
        return [Revision.objects.get(pk=pk).status for pk in self.selected]

    def test_choosing_reject_asks_for_a_reason_and_names_the_edits(self):
        response = self.choose_action(self.selected)
        self.assert_reason_page(response, self.selected)
        self.assertContains(response, "The edit of post #1 in “Reeds”")
        self.assertContains(response, "The edit of post #2 in “Reeds”")
        self.assertNotContains(response, REASON_ERROR)  # not an error before they try
        self.assertEqual(self.statuses(), ["pending", "pending"])

    def test_sending_no_reason_keeps_the_moderator_on_the_page_with_an_error(self):
        for reason in ["", "   \n  "]:
            with self.subTest(reason=reason):
                response = self.give_reason(self.selected, reason)
                self.assert_reason_page(response, self.selected)
                self.assertContains(response, REASON_ERROR)
        self.assertEqual(self.statuses(), ["pending", "pending"])
        self.assertFalse(ModerationAction.objects.exists())

    def test_with_a_reason_the_edits_are_rejected_and_the_reason_recorded(self):
        response = self.give_reason(self.selected, "Herons and reeds are canon; keep them.")
        self.assertRedirects(response, reverse(self.changelist), fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Edits rejected: 2.")
        self.assertEqual(self.statuses(), ["rejected", "rejected"])
        reasons = ModerationAction.objects.filter(action="reject_edit").values_list(
            "reason", flat=True
        )
        self.assertEqual(list(reasons), ["Herons and reeds are canon; keep them."] * 2)

    def test_readers_keep_the_approved_text_after_a_bulk_rejection(self):
        self.give_reason(self.selected, "Keep the herons.")
        chapter = self.client.get(
            reverse("chapter_detail", args=[self.scene.chapter.story.slug, 1])
        )
        self.assertContains(chapter, "counted the herons")
        self.assertNotContains(chapter, "egrets")


class SuspendWritersTests(ReasonPageTestCase):
    changelist = "admin:threads_user_changelist"
    action = "suspend"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mira = make_user("mira", display_name="Mira")
        cls.teo = make_user("teo", display_name="Teo")

    def setUp(self):
        super().setUp()
        self.selected = [self.mira.pk, self.teo.pk]

    def suspended(self):
        return [User.objects.get(pk=pk).is_suspended for pk in self.selected]

    def test_choosing_suspend_asks_for_a_reason_and_names_the_writers(self):
        response = self.choose_action(self.selected)
        self.assert_reason_page(response, self.selected)
        self.assertContains(response, "mira (Mira, mira@example.test)")
        self.assertContains(response, "teo (Teo, teo@example.test)")
        self.assertEqual(self.suspended(), [False, False])

    def test_sending_no_reason_keeps_the_moderator_on_the_page_with_an_error(self):
        response = self.give_reason(self.selected, "")
        self.assert_reason_page(response, self.selected)
        self.assertContains(response, REASON_ERROR)
        self.assertEqual(self.suspended(), [False, False])
        self.assertFalse(ModerationAction.objects.exists())

    def test_with_a_reason_the_writers_are_suspended_and_shown_why(self):
        response = self.give_reason(self.selected, "Posting the same advert in every scene.")
        self.assertRedirects(response, reverse(self.changelist), fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Writers suspended: 2.")
        self.assertEqual(self.suspended(), [True, True])
        self.assertEqual(
            User.objects.get(pk=self.mira.pk).suspension_reason,
            "Posting the same advert in every scene.",
        )
        self.assertEqual(ModerationAction.objects.filter(action="suspend").count(), 2)

    def test_an_overlong_reason_is_an_error_on_the_page_not_a_crash(self):
        response = self.give_reason(self.selected, "x" * 2001)
        self.assert_reason_page(response, self.selected)
        self.assertContains(
            response,
            '<ul class="errorlist" id="id_reason_error"><li>Keep the reason to 2000 characters: '
            "it has 2001. Your text is kept below.</li></ul>",
            html=True,
        )
        self.assertNotContains(response, REASON_ERROR)  # a reason was given: not "give one"
        self.assertContains(response, "x" * 2001 + "</textarea>")  # their words come back
        self.assertEqual(self.suspended(), [False, False])

    def test_the_reason_box_has_no_maxlength_and_points_at_its_error(self):
        blank = self.choose_action(self.selected)
        self.assertNotContains(blank, "maxlength")  # a browser would cut pasted text silently
        response = self.give_reason(self.selected, "")
        self.assertContains(response, 'aria-describedby="id_reason_helptext id_reason_error"')
        self.assertContains(response, 'id="id_reason_helptext"')
        self.assertContains(
            response,
            f'<ul class="errorlist" id="id_reason_error"><li>{REASON_ERROR}</li></ul>',
            html=True,
        )
