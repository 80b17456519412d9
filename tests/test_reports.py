"""Readers report posts to the moderators."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import make_cast, make_pending_post, make_post, make_user
from threads.models import Report, Story


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cast = make_cast(lucia=False)
        cls.writer, cls.partner, cls.character = cast.mira, cast.teo, cast.aleksei
        cls.story, cls.chapter, cls.scene = cast.story, cast.chapter, cast.scene
        cls.reader = make_user("ana")
        cls.post = make_post(cls.scene, character=cls.character, body="A line of story.")
        cls.url = reverse("report_post", args=[cls.post.pk])

    def report(self, user, **data):
        self.client.force_login(user)
        return self.client.post(self.url, {"reason": "spam", "note": "", **data})

    def test_a_reader_reports_a_post_with_a_reason_and_a_note(self):
        response = self.report(self.reader, reason="rating", note="This needs a violence warning.")
        self.assertRedirects(
            response, self.chapter.get_absolute_url(), fetch_redirect_response=False
        )
        report = Report.objects.get()
        self.assertEqual(
            (report.post, report.reporter, report.reason, report.note, report.resolution),
            (self.post, self.reader, "rating", "This needs a violence warning.", "open"),
        )

    def test_the_reader_is_thanked_and_sent_back_where_they_were(self):
        self.client.force_login(self.reader)
        back = self.chapter.get_absolute_url() + "?page=2"
        response = self.client.post(self.url, {"reason": "spam", "next": back}, follow=True)
        self.assertEqual(response.redirect_chain[-1][0], back)
        self.assertContains(response, "Thank you for the report")

    def test_the_report_form_shows_the_post_and_the_reasons(self):
        self.client.force_login(self.reader)
        page = self.client.get(self.url)
        self.assertContains(page, "A line of story.")
        self.assertContains(page, "Rating or warnings are wrong")
        self.assertContains(page, "csrfmiddlewaretoken")

    def test_a_second_open_report_by_the_same_reader_gets_a_clear_message(self):
        self.report(self.reader)
        response = self.report(self.reader, reason="harassment")
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "You reported this post on", status_code=409)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_reader_may_report_again_once_the_first_report_is_resolved(self):
        self.report(self.reader)
        Report.objects.update(resolution="dismissed")
        self.report(self.reader, reason="other", note="It got worse.")
        self.assertEqual(Report.objects.count(), 2)

    def test_a_report_without_a_reason_comes_back_with_the_note_kept(self):
        self.client.force_login(self.reader)
        response = self.client.post(self.url, {"note": "Please look at this."})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Please look at this.", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_an_overlong_note_is_refused_with_a_message(self):
        response = self.report(self.reader, note="x" * 2001)
        self.assertContains(response, "at most 2000 characters", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_a_suspended_reader_cannot_report_and_sees_why(self):
        self.reader.suspend("Filing false reports.")
        self.client.force_login(self.reader)
        page = self.client.get(self.url)
        self.assertContains(page, "Filing false reports.", status_code=403)
        response = self.report(self.reader)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Report.objects.exists())

    def test_a_writer_cannot_report_their_own_post(self):
        response = self.report(self.writer)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Report.objects.exists())

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.post(self.url, {"reason": "spam"})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response.url)
        self.assertFalse(Report.objects.exists())

    def test_a_pending_post_cannot_be_reported_by_a_stranger(self):
        pending = make_pending_post(self.scene, self.character)
        self.client.force_login(self.reader)
        url = reverse("report_post", args=[pending.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.partner)  # a member sees it, so may report it
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_post_in_a_members_only_story_is_a_404_to_strangers(self):
        Story.objects.filter(pk=self.story.pk).update(visibility=Story.Visibility.MEMBERS)
        self.client.force_login(self.reader)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_an_unknown_post_is_a_404(self):
        self.client.force_login(self.reader)
        self.assertEqual(self.client.get(reverse("report_post", args=[99999])).status_code, 404)

    def test_an_offsite_next_address_is_ignored(self):
        response = self.report(self.reader, next="https://evil.example/")
        self.assertEqual(response.url, self.chapter.get_absolute_url())

    def test_the_chapter_page_offers_a_report_link_to_readers_but_not_the_author(self):
        self.client.force_login(self.reader)
        page = self.client.get(self.chapter.get_absolute_url())
        self.assertContains(page, self.url)
        self.client.force_login(self.writer)
        page = self.client.get(self.chapter.get_absolute_url())
        self.assertNotContains(page, self.url)
        self.client.logout()
        self.assertNotContains(self.client.get(self.chapter.get_absolute_url()), self.url)
