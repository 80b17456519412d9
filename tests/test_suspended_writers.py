"""A suspended writer reads as before, but changes nothing on the writer's side: no stories,
chapters, scenes or characters started or changed, nobody invited or removed, no profile
edits. Each refusal is a 403 page that says why, with the moderators' reason."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import make_chapter, make_character, make_scene, make_story, make_user
from threads.models import Chapter, Character, Membership, Scene, Story, User

REASON = "Links to a shop in every story summary."


class SuspendedWriterTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira", display_name="Mira")
        cls.teo = make_user("teo")
        cls.ines = make_user("ines")
        cls.story = make_story(owner=cls.mira, members=[cls.teo], title="The Salt Orchard")
        cls.chapter = make_chapter(cls.story, title="Brine", is_published=False)
        cls.aleksei = make_character(owner=cls.mira, name="Aleksei")
        cls.scene = make_scene(cls.chapter, characters=[cls.aleksei], title="The pier")
        cls.teo_membership = cls.story.memberships.get(user=cls.teo)
        cls.mira.suspend(REASON)

    def setUp(self):
        self.client.force_login(self.mira)

    def assert_refused_with_the_reason(self, response):
        self.assertContains(response, "Your account is suspended", status_code=403)
        self.assertContains(response, REASON, status_code=403)

    def story_url(self, name, *args):
        return reverse(name, args=[self.story.slug, *args])


class StoryWritesTests(SuspendedWriterTestCase):
    def test_a_suspended_writer_cannot_start_a_public_spam_story(self):
        self.assert_refused_with_the_reason(self.client.get(reverse("story_create")))
        response = self.client.post(
            reverse("story_create"),
            {
                "title": "Spam story",
                "summary": "[Cheap lanterns](https://shop.example/)",
                "rating": "general",
                "language": "en",
                "visibility": "public",
                "status": "in_progress",
            },
        )
        self.assert_refused_with_the_reason(response)
        assert not Story.objects.filter(title="Spam story").exists()
        self.assertNotContains(self.client.get(reverse("home")), "Spam story")

    def test_a_suspended_owner_cannot_edit_the_story_or_its_status(self):
        edit = self.client.post(self.story_url("story_edit"), {"title": "Renamed"})
        self.assert_refused_with_the_reason(edit)
        status = self.client.post(self.story_url("story_set_status"), {"status": "complete"})
        self.assert_refused_with_the_reason(status)
        self.story.refresh_from_db()
        assert (self.story.title, self.story.status) == ("The Salt Orchard", "in_progress")

    def test_a_suspended_writer_cannot_add_edit_publish_or_move_chapters(self):
        writes = [
            ("chapter_create", (), {"number": 2, "title": "More"}),
            ("chapter_edit", (1,), {"number": 1, "title": "Renamed"}),
            ("chapter_publish", (1,), {"published": "1"}),
            ("chapter_move", (1,), {"direction": "down"}),
        ]
        for name, args, data in writes:
            with self.subTest(name):
                self.assert_refused_with_the_reason(
                    self.client.post(self.story_url(name, *args), data)
                )
        chapter = Chapter.objects.get(story=self.story)
        assert (chapter.title, chapter.is_published) == ("Brine", False)

    def test_a_suspended_writer_cannot_add_edit_close_or_move_scenes(self):
        scene_data = {"position": 1, "title": "Renamed", "turn_mode": "free"}
        writes = [
            ("scene_create", (1,), scene_data),
            ("scene_edit", (1, 1), scene_data),
            ("scene_set_open", (1, 1), {"open": "0"}),
            ("scene_move", (1, 1), {"direction": "down"}),
        ]
        for name, args, data in writes:
            with self.subTest(name):
                self.assert_refused_with_the_reason(
                    self.client.post(self.story_url(name, *args), data)
                )
        scene = Scene.objects.get(chapter__story=self.story)
        assert (scene.title, scene.is_open) == ("The pier", True)


class MemberWritesTests(SuspendedWriterTestCase):
    def test_a_suspended_owner_cannot_invite_but_still_sees_the_members(self):
        page = self.client.get(self.story_url("story_members"))
        self.assertContains(page, "teo")
        self.assertContains(page, "you cannot invite writers")
        self.assertNotContains(page, "Send the invitation")
        response = self.client.post(
            self.story_url("story_members"), {"username": "ines", "role": "co_writer"}
        )
        self.assert_refused_with_the_reason(response)
        assert not self.story.memberships.filter(user=self.ines).exists()

    def test_a_suspended_owner_cannot_remove_or_promote_members(self):
        pk = self.teo_membership.pk
        remove = self.client.post(self.story_url("member_remove", pk))
        self.assert_refused_with_the_reason(remove)
        role = self.client.post(self.story_url("member_role", pk), {"role": "narrator"})
        self.assert_refused_with_the_reason(role)
        self.teo_membership.refresh_from_db()
        assert self.teo_membership.status == Membership.Status.ACTIVE
        assert self.teo_membership.role == Membership.Role.CO_WRITER

    def test_a_suspended_writer_cannot_accept_an_invitation_but_can_decline_one(self):
        stories = [make_story(owner=self.teo, title=f"Invite {n}") for n in range(2)]
        accept, decline = (
            Membership.objects.create(story=story, user=self.mira, invited_by=self.teo)
            for story in stories
        )
        response = self.client.post(reverse("invitation_accept", args=[accept.pk]))
        self.assert_refused_with_the_reason(response)
        self.client.post(reverse("invitation_decline", args=[decline.pk]))
        accept.refresh_from_db()
        decline.refresh_from_db()
        assert accept.status == Membership.Status.INVITED
        assert decline.status == Membership.Status.DECLINED


class CharacterAndProfileWritesTests(SuspendedWriterTestCase):
    def test_a_suspended_writer_cannot_create_edit_or_retire_characters(self):
        self.assert_refused_with_the_reason(self.client.get(reverse("character_create")))
        create = self.client.post(reverse("character_create"), {"name": "Spam Bot"})
        self.assert_refused_with_the_reason(create)
        url = reverse("character_edit", args=[self.aleksei.slug])
        edit = self.client.post(url, {"name": "Aleksei", "tagline": "[buy](https://x.example)"})
        self.assert_refused_with_the_reason(edit)
        retire = self.client.post(reverse("character_retire", args=[self.aleksei.slug]))
        self.assert_refused_with_the_reason(retire)
        assert list(Character.objects.values_list("name", "tagline", "retired_at")) == [
            ("Aleksei", "", None)
        ]

    def test_a_suspended_writer_cannot_change_their_public_profile(self):
        response = self.client.post(
            reverse("profile_edit"),
            {"display_name": "Cheap Lanterns", "email": "mira@example.test", "bio": "Buy!"},
        )
        self.assert_refused_with_the_reason(response)
        assert User.objects.get(pk=self.mira.pk).display_name == "Mira"


class ReadingStaysOpenTests(SuspendedWriterTestCase):
    def test_a_suspended_writer_still_reads_and_sees_their_desk(self):
        pages = [
            self.story.get_absolute_url(),
            self.story_url("story_manage"),
            reverse("my_stories"),
            reverse("my_characters"),
            reverse("preferences"),
        ]
        for url in pages:
            with self.subTest(url):
                assert self.client.get(url).status_code == 200

    def test_lifting_the_suspension_gives_the_writing_back(self):
        self.mira.unsuspend()
        assert self.client.get(reverse("story_create")).status_code == 200
        response = self.client.post(self.story_url("story_set_status"), {"status": "complete"})
        assert response.status_code == 302
        self.story.refresh_from_db()
        assert self.story.status == Story.Status.COMPLETE

    def test_a_writer_in_good_standing_is_not_told_about_suspension(self):
        self.client.force_login(self.teo)
        response = self.client.get(reverse("character_create"))
        self.assertNotContains(response, "suspended")
