"""The "your turn" e-mail: one e-mail to the writer the turn passes to, after commit."""

from django.core import mail
from django.test import override_settings

from tests.cases import CastTestCase
from tests.factories import make_character, make_narrator, make_post, make_scene
from threads.models import Post, Scene
from threads.writing import posting

IC = Post.Kind.IN_CHARACTER


@override_settings(SITE_URL="https://rp.example")
class TurnEmailTests(CastTestCase):
    cast_options = {"story_title": "The Lantern Road", "scene_title": "The Ford"}

    def post(self, author, kind=IC, character=None, body="Across the water, a light.", scene=None):
        with self.captureOnCommitCallbacks(execute=True):
            return posting.submit_post(scene or self.scene, author, kind, character, body)

    def test_writer_gets_one_email_when_the_turn_passes_to_them(self):
        self.post(self.mira, character=self.aleksei)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["teo@example.test"])
        self.assertEqual(message.subject, "Your turn in “The Ford” (The Lantern Road)")
        self.assertIn("Mira posted as Aleksei in “The Ford”", message.body)
        self.assertIn("It is your turn, as Lucia.", message.body)
        self.assertIn(f"https://rp.example{self.scene.get_absolute_url()}#post-form", message.body)
        self.assertIn(
            "Turn off these e-mails: https://rp.example/accounts/preferences/", message.body
        )
        html = message.alternatives[0][0]
        self.assertIn(f'href="https://rp.example{self.scene.get_absolute_url()}#post-form"', html)

    def test_a_post_awaiting_approval_passes_the_turn_too(self):
        post = self.post(self.mira, character=self.aleksei)
        self.assertEqual(post.status, Post.Status.PENDING)
        self.assertEqual(len(mail.outbox), 1)

    def test_email_goes_out_only_after_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            posting.submit_post(self.scene, self.mira, IC, self.aleksei, "Quietly.")
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertEqual(len(mail.outbox), 1)

    def test_no_email_when_the_turn_comes_back_to_the_writer_who_posted(self):
        vera = make_character(self.mira, name="Vera")
        solo = make_scene(self.scene.chapter, characters=[self.aleksei, vera])
        self.post(self.mira, character=self.aleksei, scene=solo)
        self.post(self.mira, character=vera, scene=solo)
        self.assertEqual(mail.outbox, [])

    def test_ooc_notes_and_narration_pass_no_turn_and_send_no_email(self):
        self.post(self.teo, kind=Post.Kind.OUT_OF_CHARACTER)
        self.post(self.mira, kind=Post.Kind.NARRATION)
        self.assertEqual(mail.outbox, [])

    def test_writer_who_turned_turn_emails_off_gets_none(self):
        self.teo.notify_on_turn = False
        self.teo.save()
        self.post(self.mira, character=self.aleksei)
        self.assertEqual(mail.outbox, [])

    def test_refused_post_sends_no_email(self):
        with self.assertRaises(posting.TurnError), self.captureOnCommitCallbacks(execute=True):
            posting.submit_post(self.scene, self.teo, IC, self.lucia, "Out of turn.")
        self.assertEqual(mail.outbox, [])

    def test_skip_emails_the_writer_who_is_up_next(self):
        with self.captureOnCommitCallbacks(execute=True):
            posting.skip_turn(self.scene, self.mira)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Mira skipped Aleksei's turn", mail.outbox[0].body)
        self.assertEqual(mail.outbox[0].to, ["teo@example.test"])

    def test_withdrawal_sends_no_email(self):
        post = self.post(self.mira, character=self.aleksei)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            posting.withdraw_post(post, self.mira)
        self.assertEqual(mail.outbox, [])


class NarratorLedEmailTests(CastTestCase):
    """Nora narrates a scene of her own in which Lucia is the only player."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nora = make_narrator(cls.story, display_name="Nora")
        cls.scene = make_scene(
            cls.chapter, characters=[cls.lucia], turn_mode=Scene.TurnMode.NARRATOR_LED
        )

    def test_narration_passes_the_turn_to_the_first_player(self):
        with self.captureOnCommitCallbacks(execute=True):
            posting.submit_post(self.scene, self.nora, Post.Kind.NARRATION, None, "Dusk falls.")
        self.assertEqual([m.to for m in mail.outbox], [["teo@example.test"]])
        self.assertIn("Nora posted narration", mail.outbox[0].body)

    def test_when_every_player_has_posted_the_narrators_are_told_but_not_the_poster(self):
        make_post(self.scene, author=self.nora, kind=Post.Kind.NARRATION)
        self.teo.is_trusted = True
        self.teo.save()
        with self.captureOnCommitCallbacks(execute=True):
            posting.submit_post(self.scene, self.teo, IC, self.lucia, "Lucia lights the lamp.")
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(recipients, ["mira@example.test", "nora@example.test"])
        self.assertIn("it is the narrator's turn", mail.outbox[0].body)
