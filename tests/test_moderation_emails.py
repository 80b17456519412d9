"""E-mails about moderators' decisions: one to the writer per decision, with the reason on a
rejection, only after the decision commits; and one to each reporter with the outcome."""

from django.conf import settings
from django.core import mail

from tests.cases import ModerationTestCase
from tests.factories import make_pending_post, make_post, make_user
from threads import moderation
from threads.models import Report, Revision
from threads.moderation import ModerationError


class ModerationEmailTests(ModerationTestCase):
    cast_options = {"story_title": "The Lantern Road", "scene_title": "The Ferry"}

    def pending(self):
        return make_pending_post(self.scene, self.character)

    def decide(self, decision, *args):
        with self.captureOnCommitCallbacks(execute=True):
            decision(*args)

    def test_an_approval_sends_the_writer_one_email_with_a_link_to_the_scene(self):
        self.decide(moderation.approve, self.pending(), self.moderator)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["mira@example.test"])
        self.assertEqual(message.subject, "Your post in “The Ferry” is approved")
        self.assertIn("Hello Mira", message.body)
        self.assertIn(self.scene.get_absolute_url(), message.body)

    def test_a_rejection_tells_the_writer_the_reason_in_text_and_html(self):
        self.decide(moderation.reject, self.pending(), self.moderator, "Tag the <violence> & gore.")
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Your post in “The Ferry” was not approved")
        self.assertIn("Tag the <violence> & gore.", message.body)
        html = message.alternatives[0][0]
        self.assertIn("Tag the &lt;violence&gt; &amp; gore.", html)
        self.assertIn("Edit the post to resubmit it", message.body)

    def test_a_rejected_edit_says_the_approved_text_stays(self):
        post = make_post(self.scene, character=self.character)
        revision = Revision.objects.create(
            post=post, number=2, body="New text.", editor=self.writer, status="pending"
        )
        self.decide(moderation.reject_edit, revision, self.moderator, "Spoils the twist.")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Readers keep seeing the earlier, approved text", mail.outbox[0].body)
        self.assertIn("Spoils the twist.", mail.outbox[0].body)

    def test_a_writer_who_turned_these_emails_off_gets_none(self):
        self.writer.notify_on_moderation = False
        self.writer.save(update_fields=["notify_on_moderation"])
        self.decide(moderation.approve, self.pending(), self.moderator)
        self.assertEqual(mail.outbox, [])

    def test_a_refused_decision_sends_nothing(self):
        post = self.pending()
        self.decide(moderation.approve, post, self.moderator)
        mail.outbox.clear()
        with self.assertRaises(ModerationError):
            self.decide(moderation.approve, post, self.moderator)
        self.assertEqual(mail.outbox, [])

    def test_nothing_is_sent_before_the_decision_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            moderation.approve(self.pending(), self.moderator)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)

    def test_a_suspension_tells_the_writer_why(self):
        self.decide(moderation.suspend, self.writer, self.moderator, "Spam in every scene.")
        self.assertEqual(mail.outbox[0].subject, "Your RP Archive account is suspended")
        self.assertIn("Spam in every scene.", mail.outbox[0].body)

    def test_each_reporter_is_told_the_outcome_of_their_report(self):
        post = make_post(self.scene, character=self.character)
        for name in ["ana", "bo"]:
            Report.objects.create(post=post, reporter=make_user(name), reason="harassment")
        self.decide(moderation.resolve_reports, post, self.moderator, "dismiss")
        to_reporters = [m for m in mail.outbox if m.to != ["mira@example.test"]]
        self.assertEqual(
            sorted(m.to[0] for m in to_reporters), ["ana@example.test", "bo@example.test"]
        )
        self.assertIn("decided it can stay", to_reporters[0].body)
        self.assertEqual(len(mail.outbox), 2)  # a dismissal is not news for the writer

    def test_a_hidden_post_is_news_for_the_writer_and_the_reporter(self):
        post = make_post(self.scene, character=self.character)
        Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
        self.decide(moderation.resolve_reports, post, self.moderator, "hide", "Advertising.")
        by_address = {m.to[0]: m for m in mail.outbox}
        self.assertIn("hid the post", by_address["ana@example.test"].body)
        self.assertIn("Advertising.", by_address["mira@example.test"].body)
        self.assertEqual(len(mail.outbox), 2)

    def test_a_reporter_who_turned_moderation_emails_off_is_not_told_the_outcome(self):
        post = make_post(self.scene, character=self.character)
        quiet = make_user("ana", notify_on_moderation=False)
        Report.objects.create(post=post, reporter=quiet, reason="spam")
        Report.objects.create(post=post, reporter=make_user("bo"), reason="spam")
        self.decide(moderation.resolve_reports, post, self.moderator, "dismiss")
        self.assertEqual([m.to for m in mail.outbox], [["bo@example.test"]])

    def test_the_report_outcome_says_how_to_turn_these_emails_off(self):
        post = make_post(self.scene, character=self.character)
        Report.objects.create(post=post, reporter=make_user("ana"), reason="spam")
        self.decide(moderation.resolve_reports, post, self.moderator, "dismiss")
        message, preferences = mail.outbox[0], f"{settings.SITE_URL}/accounts/preferences/"
        self.assertIn("To turn these off", message.body)
        self.assertIn(preferences, message.body)
        self.assertIn(f'href="{preferences}"', message.alternatives[0][0])
