"""Starting and editing stories, and the pages writers use to reach their own work."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from tests.factories import make_chapter, make_scene, make_story, make_user
from threads.models import Membership, Story


def story_data(**overrides):
    data = {
        "title": "The Salt Orchard",
        "summary": "Two cousins inherit an orchard that *grows* in brine.",
        "tags": "magical realism, family",
        "rating": "teen",
        "warnings": ["violence"],
        "language": "en",
        "visibility": "members",
        "status": "in_progress",
    }
    return data | overrides


class CreateStoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.writer = make_user("mira")

    def setUp(self):
        self.client.force_login(self.writer)

    def test_starting_a_story_makes_the_writer_its_owner(self):
        response = self.client.post(reverse("story_create"), story_data())
        story = Story.objects.get(title="The Salt Orchard")
        self.assertRedirects(response, reverse("story_manage", args=[story.slug]))
        membership = story.memberships.get()
        assert membership.user == self.writer
        assert membership.role == Membership.Role.OWNER
        assert membership.status == Membership.Status.ACTIVE
        assert story.slug == "the-salt-orchard"
        assert sorted(story.tags.names()) == ["family", "magical realism"]
        assert story.warnings == ["violence"]
        assert "<em>grows</em>" in story.summary_html

    def test_the_new_story_is_listed_on_the_writers_desk_even_as_a_draft(self):
        self.client.post(reverse("story_create"), story_data())
        self.assertContains(self.client.get(reverse("my_stories")), "The Salt Orchard")

    def test_a_missing_title_is_refused_and_the_summary_kept(self):
        response = self.client.post(reverse("story_create"), story_data(title=""))
        self.assertContains(response, "This field is required", status_code=400)
        self.assertContains(response, "grows", status_code=400)
        self.assertContains(
            response, 'value="violence" id="id_warnings_2" checked', status_code=400
        )
        assert not Story.objects.exists()

    def test_no_warnings_apply_cannot_be_ticked_with_a_warning(self):
        response = self.client.post(
            reverse("story_create"), story_data(warnings=["none", "violence"])
        )
        self.assertContains(response, "cannot be ticked with other warnings", status_code=400)

    def test_an_unknown_warning_or_rating_is_a_form_error_not_a_crash(self):
        response = self.client.post(
            reverse("story_create"), story_data(warnings=["dragons"], rating="R18")
        )
        self.assertContains(response, "Select a valid choice", count=2, status_code=400)

    def test_too_many_or_too_long_tags_are_refused(self):
        many = ", ".join(f"tag{n}" for n in range(21))
        self.assertContains(
            self.client.post(reverse("story_create"), story_data(tags=many)),
            "At most 20 tags",
            status_code=400,
        )
        long_tag = "x" * 51
        self.assertContains(
            self.client.post(reverse("story_create"), story_data(tags=long_tag)),
            "at most 50 characters",
            status_code=400,
        )

    def test_an_overlong_summary_is_refused_and_kept(self):
        response = self.client.post(reverse("story_create"), story_data(summary="word " * 1001))
        self.assertContains(response, "at most 5000 characters", status_code=400)
        assert not Story.objects.exists()

    def test_signing_in_is_needed_to_start_a_story(self):
        self.client.logout()
        response = self.client.post(reverse("story_create"), story_data())
        assert response.url.startswith(reverse("login"))
        assert not Story.objects.exists()


class EditStoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("mira")
        cls.cowriter = make_user("teo")
        cls.stranger = make_user("sasha")
        cls.story = make_story(owner=cls.owner, members=[cls.cowriter], title="Lantern Road")

    def edit(self, user, **overrides):
        self.client.force_login(user)
        url = reverse("story_edit", args=[self.story.slug])
        return self.client.post(url, story_data(title="Lantern Road, Revised", **overrides))

    def test_the_owner_edits_the_story(self):
        response = self.edit(self.owner, visibility="public")
        self.assertRedirects(response, reverse("story_manage", args=[self.story.slug]))
        self.story.refresh_from_db()
        assert self.story.title == "Lantern Road, Revised"
        assert self.story.visibility == Story.Visibility.PUBLIC
        assert self.story.slug == "lantern-road"  # links people shared keep working

    def test_the_edit_form_comes_filled_in(self):
        self.client.force_login(self.owner)
        response = self.client.get(reverse("story_edit", args=[self.story.slug]))
        self.assertContains(response, 'value="Lantern Road"')

    def test_a_cowriter_cannot_edit_the_story(self):
        assert self.edit(self.cowriter).status_code == 403
        self.story.refresh_from_db()
        assert self.story.title == "Lantern Road"

    def test_a_stranger_cannot_edit_the_story(self):
        assert self.edit(self.stranger).status_code == 404

    def test_a_removed_owner_cannot_edit_the_story(self):
        self.story.memberships.filter(user=self.owner).update(status=Membership.Status.REMOVED)
        assert self.edit(self.owner).status_code == 404

    def test_the_owner_marks_the_story_complete_in_one_click(self):
        self.client.force_login(self.owner)
        url = reverse("story_set_status", args=[self.story.slug])
        response = self.client.post(url, {"status": "complete"}, follow=True)
        self.assertContains(response, "Reopen")
        self.story.refresh_from_db()
        assert self.story.status == Story.Status.COMPLETE

    def test_a_made_up_status_changes_nothing(self):
        self.client.force_login(self.owner)
        url = reverse("story_set_status", args=[self.story.slug])
        response = self.client.post(url, {"status": "abandoned"}, follow=True)
        self.assertContains(response, "not a story status")
        self.story.refresh_from_db()
        assert self.story.status == Story.Status.IN_PROGRESS

    def test_a_cowriter_cannot_mark_the_story_complete(self):
        self.client.force_login(self.cowriter)
        url = reverse("story_set_status", args=[self.story.slug])
        assert self.client.post(url, {"status": "complete"}).status_code == 403

    def test_marking_complete_needs_a_post(self):
        self.client.force_login(self.owner)
        url = reverse("story_set_status", args=[self.story.slug])
        assert self.client.get(url).status_code == 405


class ManagePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("mira")
        cls.cowriter = make_user("teo")
        cls.story = make_story(
            owner=cls.owner,
            members=[cls.cowriter],
            title="Night Ferry",
            visibility=Story.Visibility.MEMBERS,
        )
        for number in (1, 2, 3):
            chapter = make_chapter(cls.story, is_published=number == 1)
            for _ in range(3):
                make_scene(chapter)

    def test_the_owner_sees_every_chapter_with_its_controls(self):
        self.client.force_login(self.owner)
        response = self.client.get(reverse("story_manage", args=[self.story.slug]))
        self.assertContains(response, "Chapter 3")
        self.assertContains(response, "Draft", count=2)
        self.assertContains(response, reverse("chapter_create", args=[self.story.slug]))
        self.assertContains(response, reverse("story_members", args=[self.story.slug]))

    def test_a_cowriter_sees_the_chapters_without_the_controls(self):
        self.client.force_login(self.cowriter)
        response = self.client.get(reverse("story_manage", args=[self.story.slug]))
        self.assertContains(response, "Chapter 2")
        self.assertNotContains(response, reverse("chapter_create", args=[self.story.slug]))
        self.assertNotContains(response, "Mark the story complete")

    def test_a_stranger_cannot_tell_the_draft_exists(self):
        self.client.force_login(make_user("sasha"))
        response = self.client.get(reverse("story_manage", args=[self.story.slug]))
        assert response.status_code == 404

    def test_the_manage_page_queries_stay_flat(self):
        self.client.force_login(self.owner)
        url = reverse("story_manage", args=[self.story.slug])
        self.client.get(url)  # warm the session
        # 6 for the page, 1 for the owner's claims panel, 3 for the navigation's turn count
        # (memberships, scenes, casts).
        with self.assertNumQueries(10):
            self.client.get(url)

    def test_the_writers_desk_queries_stay_flat(self):
        for _ in range(3):
            make_story(owner=self.owner)
        self.client.force_login(self.owner)
        # 4 for the page, 3 for the navigation's turn count (memberships, scenes, casts).
        with self.assertNumQueries(7):
            response = self.client.get(reverse("my_stories"))
        assert len(response.context["memberships"]) == 4


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_signs_up_and_sets_up_a_story_in_a_real_browser(
    live_server,
    new_page,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    portrait = tmp_path / "selfie.png"
    Image.new("RGB", (640, 480), (20, 120, 90)).save(portrait)
    page = new_page()

    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill("ines")
    page.get_by_label("E-mail").fill("ines@example.test")
    page.locator("#id_password1").fill("lantern-moth-quietly-9")
    page.locator("#id_password2").fill("lantern-moth-quietly-9")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Look in your inbox").wait_for()
    # The address is confirmed by the link e-mailed to it (tests/test_email_confirmation).
    link = re.search(r"http://\S+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm my address").click()
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill("lantern-moth-quietly-9")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + reverse("my_stories"))
    page.get_by_role("heading", name="Your stories").wait_for()

    page.get_by_role("link", name="Your characters").click()
    page.get_by_role("link", name="Create a character").click()
    page.get_by_label("Name").fill("Odile Marsh")
    page.get_by_label("Portrait:", exact=True).set_input_files(portrait)
    page.get_by_role("button", name="Create the character").click()
    page.get_by_role("heading", name="Odile Marsh").wait_for()

    page.goto(live_server.url + reverse("story_create"))
    page.get_by_label("Title").fill("The Tin Lighthouse")
    page.get_by_label("Graphic violence").check()
    page.get_by_role("button", name="Start the story").click()
    page.get_by_role("heading", name="The Tin Lighthouse").wait_for()

    page.get_by_role("link", name="Add a chapter").click()
    page.get_by_label("Title").fill("The keeper's log")
    page.get_by_role("button", name="Add the chapter").click()
    page.get_by_role("button", name="Publish chapter 1").click()
    page.get_by_role("link", name="Add a scene to chapter 1").click()
    page.get_by_label("Title").fill("Storm at the gallery")
    page.get_by_label("Place of Odile Marsh").fill("1")
    page.get_by_role("button", name="Add the scene").click()

    scene = page.locator(".manage-scenes li").first
    assert "Storm at the gallery" in scene.inner_text()
    assert "Odile Marsh" in scene.inner_text()
    assert page.get_by_text("Published", exact=True).is_visible()
    story = Story.objects.get()
    assert story.warnings == ["violence"]
    assert story.chapters.get().scenes.get().participants.get().character.portrait
