"""Posting a turn from the scene page: who may see, post and skip, and that a refused
writer always gets their text back."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases import CastTestCase
from tests.factories import make_narrator, make_post, make_user
from threads.models import Post, Rating, Story


class SceneTestCase(CastTestCase):
    """Mira (owner, Aleksei) and Teo (co-writer, Lucia) alternate in a round-robin scene of a
    public story; Sasha is a stranger with an account."""

    cast_options = {
        "names": ("Aleksei Varga", "Lucia Ferro"),
        "story_title": "The Lantern Road",
        "scene_title": "The Ford",
    }

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sasha = make_user("sasha")

    @property
    def scene_url(self):
        return self.scene.get_absolute_url()

    def url(self, name):
        return reverse(name, args=[self.story.slug, self.chapter.number, self.scene.position])

    def submit(self, user, body="The river was higher than she remembered.", post_as=None, **extra):
        if user is not None:
            self.client.force_login(user)
        character = {self.mira: self.aleksei, self.teo: self.lucia}.get(user)
        data = {"post_as": post_as or f"character-{character.pk}", "body": body, **extra}
        return self.client.post(self.url("post_submit"), data)


class ScenePageTests(SceneTestCase):
    def test_member_sees_whose_turn_it_is_and_the_form(self):
        self.client.force_login(self.teo)
        response = self.client.get(self.scene_url)
        self.assertContains(response, "<strong>Aleksei Varga</strong>'s turn, written by Mira")
        self.assertContains(response, 'id="post-form"')

    def test_writer_who_is_up_is_told_it_is_their_turn(self):
        self.client.force_login(self.mira)
        response = self.client.get(self.scene_url)
        self.assertContains(response, "<strong>Your turn</strong>, as Aleksei Varga.")

    def test_reader_of_a_public_story_sees_the_scene_without_a_form(self):
        make_post(self.scene, character=self.aleksei, body="Rain on the ford stones.")
        response = self.client.get(self.scene_url)
        self.assertContains(response, "Rain on the ford stones.")
        self.assertNotContains(response, 'id="post-form"')
        self.assertContains(response, "Log in</a> to write")

    def test_readers_do_not_see_posts_awaiting_approval_but_members_do_marked_as_such(self):
        make_post(self.scene, character=self.aleksei, body="A lamp swung.", status="pending")
        self.assertNotContains(self.client.get(self.scene_url), "A lamp swung.")
        self.client.force_login(self.teo)
        response = self.client.get(self.scene_url)
        self.assertContains(response, "A lamp swung.")
        self.assertContains(response, "Awaiting approval")

    def test_author_sees_their_rejected_post_with_the_moderators_reason(self):
        make_post(
            self.scene,
            character=self.lucia,
            body="Too hasty a reply.",
            status="rejected",
            moderation_reason="Please add the content warning first.",
        )
        self.client.force_login(self.teo)
        response = self.client.get(self.scene_url)
        self.assertContains(response, "Too hasty a reply.")
        self.assertContains(response, "Their reason: Please add the content warning first.")
        self.client.force_login(self.mira)
        self.assertNotContains(self.client.get(self.scene_url), "Too hasty a reply.")

    def test_ooc_notes_and_skips_show_in_the_scene(self):
        make_post(self.scene, author=self.teo, kind="ooc", body="Back on Monday!")
        make_post(self.scene, author=self.mira, character=self.aleksei, kind="skip", body="")
        response = self.client.get(self.scene_url)
        self.assertContains(response, "Back on Monday!")
        self.assertContains(response, "<bdi>Mira</bdi> skipped <bdi>Aleksei Varga</bdi>'s turn")

    def test_stranger_gets_404_for_a_members_only_story(self):
        Story.objects.filter(pk=self.story.pk).update(visibility=Story.Visibility.MEMBERS)
        self.client.force_login(self.sasha)
        self.assertEqual(self.client.get(self.scene_url).status_code, 404)
        self.assertEqual(self.submit(self.sasha, post_as="ooc").status_code, 404)
        self.assertEqual(self.client.post(self.url("turn_skip")).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.scene_url).status_code, 404)

    def test_scene_in_an_unpublished_chapter_is_for_members_only(self):
        self.chapter.set_published(False)
        self.assertEqual(self.client.get(self.scene_url).status_code, 404)
        self.client.force_login(self.teo)
        self.assertContains(self.client.get(self.scene_url), "Unpublished")

    def test_anonymous_reader_of_a_mature_story_sees_the_notice_first(self):
        Story.objects.filter(pk=self.story.pk).update(rating=Rating.MATURE)
        response = self.client.get(self.scene_url)
        self.assertTemplateUsed(response, "threads/adult_interstitial.html")
        self.assertNotContains(response, "scene-posts")

    def test_unknown_scene_is_404(self):
        url = reverse("scene_detail", args=[self.story.slug, self.chapter.number, 99])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_scene_page_costs_the_same_number_of_queries_with_many_posts(self):
        self.client.force_login(self.teo)

        def queries_for_page():
            with CaptureQueriesContext(connection) as context:
                self.assertEqual(self.client.get(self.scene_url).status_code, 200)
            return len(context)

        make_post(self.scene, character=self.aleksei)
        few = queries_for_page()
        for _ in range(15):
            make_post(self.scene, character=self.lucia)
            make_post(self.scene, author=self.teo, kind="ooc", body="Note.")
            make_post(self.scene, author=self.mira, character=self.aleksei, kind="skip", body="")
        self.assertEqual(queries_for_page(), few)
        self.assertLessEqual(few, 15)


class SubmitTests(SceneTestCase):
    def test_writer_who_is_up_posts_and_the_turn_passes(self):
        response = self.submit(self.mira, body="He waded in *first*.")
        post = Post.objects.get(scene=self.scene)
        # ?saved= carries the draft key signed by the server (test_drafts_and_sessions).
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith(f"{self.scene_url}?post=1&saved="))
        self.assertTrue(response.url.endswith(f"#post-{self.scene.pk}-1"))
        self.assertEqual((post.number, post.character, post.author), (1, self.aleksei, self.mira))
        self.assertEqual(post.body_html, "<p>He waded in <em>first</em>.</p>")
        page = self.client.get(self.scene_url)
        self.assertContains(page, "<strong>Lucia Ferro</strong>'s turn, written by Teo")

    def test_untrusted_writers_post_waits_for_a_moderator(self):
        self.submit(self.mira)
        post = Post.objects.get(scene=self.scene)
        self.assertEqual(post.status, Post.Status.PENDING)
        self.assertEqual(post.revisions.get().number, 1)
        self.story.refresh_from_db()
        self.assertEqual(self.story.word_count, 0)

    def test_trusted_writers_post_is_approved_at_once_and_counted(self):
        self.mira.is_trusted = True
        self.mira.save()
        response = self.submit(self.mira, body="Four words of story.")
        self.assertEqual(Post.objects.get().status, Post.Status.APPROVED)
        self.story.refresh_from_db()
        self.scene.refresh_from_db()
        self.assertEqual((self.story.word_count, self.scene.word_count), (4, 4))
        self.assertIsNotNone(self.scene.last_post_at)
        self.assertEqual(self.client.get(response.url).status_code, 200)

    def test_writer_who_is_not_up_cannot_post_in_character_and_keeps_their_text(self):
        response = self.submit(self.teo, body="Lucia spoke out of turn.")
        self.assertEqual(response.status_code, 409)
        self.assertContains(
            response, "It is Aleksei Varga&#x27;s turn (written by Mira)", status_code=409
        )
        self.assertContains(response, "Lucia spoke out of turn.", status_code=409)
        self.assertContains(
            response, "Nothing was posted; your text is kept below.", status_code=409
        )
        self.assertFalse(Post.objects.exists())

    def test_writer_told_when_someone_posted_while_they_were_writing(self):
        make_post(self.scene, character=self.aleksei)
        make_post(self.scene, character=self.lucia)
        response = self.submit(self.teo, body="A second answer.", seen=1)
        self.assertContains(response, "Someone posted while you were writing.", status_code=409)
        self.assertContains(response, "A second answer.", status_code=409)

    def test_cowriter_cannot_post_as_someone_elses_character(self):
        response = self.submit(self.teo, post_as=f"character-{self.aleksei.pk}")
        self.assertContains(response, "You can post only as your own characters", status_code=400)
        self.assertContains(response, "The river was higher", status_code=400)
        self.assertFalse(Post.objects.exists())

    def test_cowriter_cannot_post_narration(self):
        response = self.submit(self.teo, post_as="narration")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Post.objects.exists())

    def test_any_member_may_post_an_ooc_note_out_of_turn(self):
        self.submit(self.teo, post_as="ooc", body="Shall we skip to morning?")
        post = Post.objects.get()
        self.assertEqual((post.kind, post.character), (Post.Kind.OUT_OF_CHARACTER, None))

    def test_oversized_body_is_refused_and_the_text_kept(self):
        body = "word " * (settings.RP_MAX_POST_LENGTH // 5) + "overflow"
        response = self.submit(self.mira, body=body)
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, f"the limit is {settings.RP_MAX_POST_LENGTH:,}", status_code=400
        )
        self.assertIn(body, response.content.decode())
        self.assertFalse(Post.objects.exists())

    def test_body_beyond_the_upload_limit_is_a_clear_400_not_a_500(self):
        body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        self.assertEqual(self.submit(self.mira, body=body).status_code, 400)
        self.assertFalse(Post.objects.exists())

    def test_empty_body_is_refused_with_a_message(self):
        response = self.submit(self.mira, body="   ")
        self.assertContains(response, "Write something before posting.", status_code=400)

    def test_preview_button_renders_markdown_without_posting(self):
        response = self.submit(self.mira, body="She *ran*.", preview="1")
        self.assertContains(response, "<p>She <em>ran</em>.</p>")
        self.assertContains(response, "She *ran*.</textarea>")
        self.assertContains(response, "2 words")
        self.assertFalse(Post.objects.exists())

    def test_stranger_cannot_post_in_a_public_story(self):
        response = self.submit(self.sasha, post_as="ooc")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Post.objects.exists())

    def test_suspended_writer_is_refused_and_told_why(self):
        self.mira.suspend("Repeated spam in other stories.")
        response = self.submit(self.mira, body="Still here.")
        self.assertContains(response, "Repeated spam in other stories.", status_code=403)
        self.assertContains(response, "Still here.", status_code=403)
        self.assertFalse(Post.objects.exists())
        page = self.client.get(self.scene_url)
        self.assertContains(page, "Your account is suspended")
        self.assertNotContains(page, 'id="post-form"')

    def test_closed_scene_has_no_form_and_takes_no_posts(self):
        self.scene.is_open = False
        self.scene.save()
        self.client.force_login(self.mira)
        self.assertNotContains(self.client.get(self.scene_url), 'id="post-form"')
        response = self.submit(self.mira, post_as="ooc", body="Hello?")
        self.assertContains(response, "This scene is closed", status_code=409)
        self.assertContains(response, "Hello?", status_code=409)

    def test_get_on_the_submit_url_is_not_allowed(self):
        self.client.force_login(self.mira)
        self.assertEqual(self.client.get(self.url("post_submit")).status_code, 405)


class LoggedOutSubmitTests(SceneTestCase):
    def test_logged_out_submit_goes_to_log_in_and_the_text_comes_back(self):
        response = self.submit(None, post_as=f"character-{self.aleksei.pk}", body="Kept safe.")
        login = reverse("login")
        self.assertRedirects(
            response,
            f"{login}?next={self.scene_url.replace('/', '%2F')}%23post-form",
            fetch_redirect_response=False,
        )
        self.assertFalse(Post.objects.exists())
        self.client.post(login, {"username": "mira", "password": "correct-horse-battery"})
        page = self.client.get(self.scene_url)
        self.assertContains(page, "Kept safe.</textarea>")
        self.assertContains(page, "back in the form")
        # Shown once: it is in the form now, and kept in the browser from there on.
        self.assertNotContains(self.client.get(self.scene_url), "Kept safe.")


class PreviewEndpointTests(SceneTestCase):
    def preview_url(self):
        return f"{reverse('post_preview')}?story={self.story.slug}"

    def test_preview_returns_sanitized_html(self):
        self.client.force_login(self.teo)
        response = self.client.post(
            self.preview_url(), {"body": "**Bold** <script>alert(1)</script>"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("<strong>Bold</strong>", response.content.decode())
        self.assertNotIn("<script>", response.content.decode())

    def test_preview_needs_a_signed_in_writer(self):
        response = self.client.post(self.preview_url(), {"body": "Hi"})
        self.assertEqual(response.status_code, 403)

    def test_preview_is_for_the_storys_writers_only(self):
        self.client.force_login(self.sasha)
        response = self.client.post(self.preview_url(), {"body": "Hi"})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.teo)
        response = self.client.post(reverse("post_preview"), {"body": "Hi"})
        self.assertEqual(response.status_code, 403)  # no story named: nobody's writer

    def test_preview_of_pathological_markdown_is_refused_with_the_reason(self):
        self.client.force_login(self.teo)
        response = self.client.post(self.preview_url(), {"body": "[" * 20_000})
        self.assertEqual(response.status_code, 400)
        self.assertIn(b"Cannot preview this.", response.content)

    def test_preview_of_an_oversized_body_is_refused_clearly(self):
        self.client.force_login(self.teo)
        body = "x" * (settings.RP_MAX_POST_LENGTH + 1)
        response = self.client.post(self.preview_url(), {"body": body})
        self.assertEqual(response.status_code, 413)
        self.assertIn(b"Too long to preview", response.content)


class SkipTests(SceneTestCase):
    def test_owner_skips_the_turn_and_the_skip_is_recorded(self):
        self.client.force_login(self.mira)
        make_post(self.scene, character=self.aleksei)
        response = self.client.post(self.url("turn_skip"), {"character": self.lucia.pk})
        self.assertRedirects(response, self.scene_url, fetch_redirect_response=False)
        skip = Post.objects.get(kind=Post.Kind.SKIP)
        self.assertEqual(
            (skip.character, skip.author, skip.status), (self.lucia, self.mira, "approved")
        )
        page = self.client.get(self.scene_url)
        self.assertContains(page, "<bdi>Mira</bdi> skipped <bdi>Lucia Ferro</bdi>'s turn")
        self.assertContains(page, "<strong>Your turn</strong>, as Aleksei Varga.")

    def test_narrator_may_skip(self):
        nora = make_narrator(self.story)
        self.client.force_login(nora)
        self.client.post(self.url("turn_skip"), {"character": self.aleksei.pk})
        self.assertTrue(Post.objects.filter(kind="skip", character=self.aleksei).exists())

    def test_cowriter_cannot_skip(self):
        self.client.force_login(self.teo)
        response = self.client.post(self.url("turn_skip"), {"character": self.aleksei.pk})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Post.objects.exists())

    def test_stranger_cannot_skip(self):
        self.client.force_login(self.sasha)
        response = self.client.post(self.url("turn_skip"), {"character": self.aleksei.pk})
        self.assertEqual(response.status_code, 403)

    def test_skip_of_a_turn_that_has_moved_on_skips_nobody(self):
        make_post(self.scene, character=self.aleksei)
        self.client.force_login(self.mira)
        response = self.client.post(
            self.url("turn_skip"), {"character": self.aleksei.pk}, follow=True
        )
        self.assertContains(response, "The turn has moved on")
        self.assertFalse(Post.objects.filter(kind="skip").exists())

    def test_a_malformed_character_value_is_never_a_500_and_skips_nobody(self):
        make_post(self.scene, character=self.aleksei)  # Lucia is up
        self.client.force_login(self.mira)
        malformed = ["²", "12a", "9" * 5000, "-1", " 3", "1e3", "٣", "0x1", " "]
        for value in malformed:
            with self.subTest(value=value[:20]):
                response = self.client.post(self.url("turn_skip"), {"character": value})
                self.assertRedirects(response, self.scene_url, fetch_redirect_response=False)
                page = self.client.get(response.url)
                # A garbled form is refused outright rather than skipping whoever is up.
                self.assertFalse(Post.objects.filter(kind="skip").exists())
                told = [str(message) for message in page.context["messages"]]
                self.assertEqual(
                    told, ["The skip form was not understood, so nothing was skipped."]
                )
                self.assertContains(page, "<strong>Lucia Ferro</strong>'s turn")

    def test_an_id_of_no_character_up_skips_nobody_and_says_the_turn_moved_on(self):
        make_post(self.scene, character=self.aleksei)  # Lucia is up
        self.client.force_login(self.mira)
        for value in ["0", "9" * 18, str(self.aleksei.pk)]:
            with self.subTest(value=value):
                response = self.client.post(
                    self.url("turn_skip"), {"character": value}, follow=True
                )
                self.assertContains(response, "The turn has moved on: it is now Lucia Ferro")
        self.assertFalse(Post.objects.filter(kind="skip").exists())
