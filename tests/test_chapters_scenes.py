"""Chapters and scenes: owners and narrators add, arrange, publish, open and close them."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Chapter, Membership, Scene


class StoryTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("mira")
        cls.cowriter = make_user("teo")
        cls.narrator = make_user("nadia")
        cls.stranger = make_user("sasha")
        cls.story = make_story(owner=cls.owner, members=[cls.cowriter, cls.narrator])
        cls.story.memberships.filter(user=cls.narrator).update(role=Membership.Role.NARRATOR)

    def url(self, name, *args):
        return reverse(name, args=[self.story.slug, *args])

    def numbers(self):
        return list(self.story.chapters.order_by("number").values_list("title", "number"))


class AddChapterTests(StoryTestCase):
    def add(self, user=None, **data):
        self.client.force_login(user or self.owner)
        return self.client.post(self.url("chapter_create"), {"title": "Landfall"} | data)

    def test_a_new_chapter_takes_the_next_number_and_starts_as_a_draft(self):
        make_chapter(self.story)
        self.client.force_login(self.owner)
        self.assertContains(self.client.get(self.url("chapter_create")), 'value="2"')
        response = self.add(number=2, summary="They reach the *island*.")
        self.assertRedirects(response, self.url("story_manage"))
        chapter = self.story.chapters.get(number=2)
        assert chapter.title == "Landfall"
        assert not chapter.is_published
        assert "<em>island</em>" in chapter.summary_html

    def test_a_narrator_adds_chapters(self):
        self.add(self.narrator, number=1)
        assert self.story.chapters.filter(title="Landfall").exists()

    def test_a_cowriter_cannot_add_chapters(self):
        assert self.add(self.cowriter, number=1).status_code == 403
        assert not self.story.chapters.exists()

    def test_a_stranger_cannot_add_chapters(self):
        assert self.add(self.stranger, number=1).status_code == 404
        assert not self.story.chapters.exists()

    def test_adding_at_a_taken_number_moves_the_later_chapters_along(self):
        for title in ("One", "Two", "Three"):
            make_chapter(self.story, title=title)
        self.add(number=2)
        assert self.numbers() == [("One", 1), ("Landfall", 2), ("Two", 3), ("Three", 4)]

    def test_a_number_past_the_end_means_the_end(self):
        make_chapter(self.story, title="One")
        self.add(number=40)
        assert self.numbers() == [("One", 1), ("Landfall", 2)]

    def test_a_missing_title_keeps_the_summary(self):
        response = self.add(number=1, title="", summary="Written before the title.")
        self.assertContains(response, "This field is required", status_code=400)
        self.assertContains(response, "Written before the title.", status_code=400)

    def test_a_nonsense_number_is_a_form_error(self):
        for number in ("0", "-3", "two", "99999999999999999999"):
            response = self.add(number=number)
            assert response.status_code == 400, number
        assert not self.story.chapters.exists()


class RenumberChapterTests(StoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for title in ("One", "Two", "Three", "Four"):
            make_chapter(cls.story, title=title)

    def edit(self, number, new_number, user=None, **data):
        self.client.force_login(user or self.owner)
        data = {"number": new_number, "title": data.pop("title", "Renamed")} | data
        return self.client.post(self.url("chapter_edit", number), data)

    def move(self, number, direction, user=None):
        self.client.force_login(user or self.owner)
        return self.client.post(self.url("chapter_move", number), {"direction": direction})

    def test_moving_a_chapter_earlier_shifts_the_ones_between(self):
        self.assertRedirects(self.edit(4, 2), self.url("story_manage"))
        assert self.numbers() == [("One", 1), ("Renamed", 2), ("Two", 3), ("Three", 4)]

    def test_moving_a_chapter_later_shifts_the_ones_between(self):
        self.edit(1, 3)
        assert self.numbers() == [("Two", 1), ("Three", 2), ("Renamed", 3), ("Four", 4)]

    def test_a_free_number_is_simply_taken(self):
        self.story.chapters.filter(title="Four").update(number=9)
        self.story.chapters.filter(title="Three").update(number=7)
        self.edit(9, 5)
        assert self.numbers() == [("One", 1), ("Two", 2), ("Renamed", 5), ("Three", 7)]

    def test_only_the_packed_run_shifts(self):
        self.story.chapters.filter(title="Four").update(number=9)
        self.edit(9, 2)
        assert self.numbers() == [("One", 1), ("Renamed", 2), ("Two", 3), ("Three", 4)]

    def test_move_up_and_down_swap_neighbours(self):
        self.move(3, "up")
        assert self.numbers() == [("One", 1), ("Three", 2), ("Two", 3), ("Four", 4)]
        self.move(1, "down")
        assert self.numbers() == [("Three", 1), ("One", 2), ("Two", 3), ("Four", 4)]

    def test_moving_past_either_end_changes_nothing(self):
        self.move(1, "up")
        self.move(4, "down")
        self.move(2, "sideways")
        assert self.numbers() == [("One", 1), ("Two", 2), ("Three", 3), ("Four", 4)]

    def test_a_published_chapter_keeps_its_text_when_renumbered(self):
        chapter = self.story.chapters.get(number=2)
        make_post(make_scene(chapter), author=self.owner, body="Three small words")
        self.edit(2, 4, title="Two")
        chapter.refresh_from_db()
        assert chapter.number == 4
        assert chapter.word_count == 3
        self.assertContains(self.client.get(chapter.get_absolute_url()), "Three small words")

    def test_a_cowriter_cannot_renumber(self):
        assert self.edit(1, 3, user=self.cowriter).status_code == 403
        assert self.move(1, "down", user=self.cowriter).status_code == 403
        assert self.numbers()[0] == ("One", 1)

    def test_a_stranger_cannot_renumber(self):
        assert self.move(1, "down", user=self.stranger).status_code == 404

    def test_an_unknown_chapter_is_a_404(self):
        assert self.edit(17, 1).status_code == 404


class PublishChapterTests(StoryTestCase):
    def test_publishing_and_unpublishing_keeps_the_story_word_count_right(self):
        chapter = make_chapter(self.story, is_published=False)
        make_post(make_scene(chapter), author=self.owner, body="five words of story here")
        self.client.force_login(self.narrator)
        url = self.url("chapter_publish", chapter.number)

        self.client.post(url, {"published": "1"})
        self.story.refresh_from_db()
        assert self.story.word_count == 5
        self.client.logout()
        assert self.client.get(chapter.get_absolute_url()).status_code == 200

        self.client.force_login(self.narrator)
        self.client.post(url, {"published": "0"})
        self.client.post(url, {"published": "0"})  # twice: nothing is taken off twice
        self.story.refresh_from_db()
        assert self.story.word_count == 0
        self.client.logout()
        assert self.client.get(chapter.get_absolute_url()).status_code == 404

    def test_a_cowriter_cannot_publish(self):
        chapter = make_chapter(self.story, is_published=False)
        self.client.force_login(self.cowriter)
        response = self.client.post(self.url("chapter_publish", 1), {"published": "1"})
        assert response.status_code == 403
        chapter.refresh_from_db()
        assert not chapter.is_published


class SceneTests(StoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chapter = make_chapter(cls.story)
        cls.aleksei = make_character(owner=cls.owner, name="Aleksei")
        cls.lucia = make_character(owner=cls.cowriter, name="Lucia")
        cls.outsider = make_character(owner=cls.stranger, name="Outsider")

    def scene_data(self, places=None, **data):
        data = {
            "position": 1,
            "title": "The pier",
            "setting": "Dawn, fog",
            "turn_mode": "round_robin",
        } | data
        for character, place in (places or {}).items():
            data[f"place_{character.pk}"] = place
        return data

    def add(self, user=None, **data):
        self.client.force_login(user or self.owner)
        return self.client.post(self.url("scene_create", 1), self.scene_data(**data))

    def cast(self, scene):
        return [p.character.name for p in scene.participants.order_by("position")]

    def test_a_scene_is_added_with_its_cast_in_posting_order(self):
        self.client.force_login(self.owner)
        form = self.client.get(self.url("scene_create", 1))
        self.assertContains(form, "Lucia")
        self.assertNotContains(form, "Outsider")
        response = self.add(places={self.lucia: 1, self.aleksei: 2})
        self.assertRedirects(response, self.url("story_manage"))
        scene = self.chapter.scenes.get()
        assert (scene.title, scene.setting, scene.turn_mode) == (
            "The pier",
            "Dawn, fog",
            "round_robin",
        )
        assert scene.is_open
        assert self.cast(scene) == ["Lucia", "Aleksei"]

    def test_a_strangers_character_cannot_be_slipped_in(self):
        self.add(places={self.aleksei: 1, self.outsider: 2})
        assert self.cast(self.chapter.scenes.get()) == ["Aleksei"]

    def test_retired_characters_are_not_offered(self):
        self.lucia.retired_at = self.lucia.created_at
        self.lucia.save()
        self.add(places={self.aleksei: 1, self.lucia: 2})
        assert self.cast(self.chapter.scenes.get()) == ["Aleksei"]

    def test_two_characters_in_one_place_is_an_error_and_keeps_the_setting(self):
        response = self.add(places={self.aleksei: 1, self.lucia: 1}, setting="Noon, a storm")
        self.assertContains(response, "same place in the posting order", status_code=400)
        self.assertContains(response, "Noon, a storm", status_code=400)
        assert not self.chapter.scenes.exists()

    def test_a_bad_edit_of_a_scene_is_a_400_that_keeps_the_new_title(self):
        make_scene(self.chapter, title="Dock")
        self.client.force_login(self.owner)
        data = self.scene_data(title="The long dock", position="first")
        response = self.client.post(self.url("scene_edit", 1, 1), data)
        self.assertContains(response, "Enter a whole number", status_code=400)
        self.assertContains(response, 'value="The long dock"', status_code=400)
        assert self.chapter.scenes.get().title == "Dock"

    def test_a_cowriter_cannot_add_scenes(self):
        assert self.add(self.cowriter).status_code == 403
        assert not Scene.objects.exists()

    def test_a_stranger_cannot_add_scenes(self):
        assert self.add(self.stranger).status_code == 404
        assert not Scene.objects.exists()

    def test_a_narrator_reorders_the_cast(self):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia])
        self.client.force_login(self.narrator)
        url = self.url("scene_edit", 1, scene.position)
        self.assertContains(self.client.get(url), f'name="place_{self.lucia.pk}"')
        self.client.post(url, self.scene_data(places={self.aleksei: 5, self.lucia: 2}))
        assert self.cast(scene) == ["Lucia", "Aleksei"]
        assert list(scene.participants.values_list("position", flat=True)) == [1, 2]

    def test_a_participant_who_posted_can_leave_and_their_post_stays(self):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia])
        post = make_post(scene, character=self.lucia)
        self.client.force_login(self.owner)
        self.client.post(
            self.url("scene_edit", 1, scene.position), self.scene_data(places={self.aleksei: 1})
        )
        assert self.cast(scene) == ["Aleksei"]
        post.refresh_from_db()
        assert post.character == self.lucia

    def test_a_retired_character_already_in_the_scene_stays_unless_taken_out(self):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia])
        self.lucia.retired_at = self.lucia.created_at
        self.lucia.save()
        self.client.force_login(self.owner)
        data = self.scene_data(places={self.aleksei: 1, self.lucia: 2}, title="Renamed")
        self.client.post(self.url("scene_edit", 1, scene.position), data)
        scene.refresh_from_db()
        assert scene.title == "Renamed"
        assert self.cast(scene) == ["Aleksei", "Lucia"]

    def test_scenes_are_reordered_by_place_and_by_arrows(self):
        for title in ("Dock", "Deck", "Hold"):
            make_scene(self.chapter, title=title)
        self.client.force_login(self.owner)
        self.client.post(self.url("scene_edit", 1, 3), self.scene_data(position=1, title="Hold"))
        titles = list(self.chapter.scenes.order_by("position").values_list("title", flat=True))
        assert titles == ["Hold", "Dock", "Deck"]
        self.client.post(self.url("scene_move", 1, 3), {"direction": "up"})
        titles = list(self.chapter.scenes.order_by("position").values_list("title", flat=True))
        assert titles == ["Hold", "Deck", "Dock"]

    def test_a_new_scene_at_a_taken_place_moves_the_others_along(self):
        make_scene(self.chapter, title="Dock")
        self.add(position=1, title="Prologue")
        titles = list(self.chapter.scenes.order_by("position").values_list("title", flat=True))
        assert titles == ["Prologue", "Dock"]

    def test_closing_and_reopening_a_scene(self):
        scene = make_scene(self.chapter)
        self.client.force_login(self.narrator)
        url = self.url("scene_set_open", 1, scene.position)
        self.client.post(url, {"open": "0"})
        scene.refresh_from_db()
        assert not scene.is_open
        page = self.client.get(self.url("story_manage"))
        self.assertContains(page, "Closed")
        self.assertContains(page, "Reopen")
        self.client.post(url, {"open": "1"})
        scene.refresh_from_db()
        assert scene.is_open

    def test_a_cowriter_cannot_close_or_edit_a_scene(self):
        scene = make_scene(self.chapter, title="Dock")
        self.client.force_login(self.cowriter)
        assert self.client.post(self.url("scene_set_open", 1, 1), {"open": "0"}).status_code == 403
        edit = self.client.post(self.url("scene_edit", 1, 1), self.scene_data(title="Mine now"))
        assert edit.status_code == 403
        scene.refresh_from_db()
        assert (scene.is_open, scene.title) == (True, "Dock")

    def test_a_scene_in_another_story_is_out_of_reach(self):
        other = make_scene(make_chapter(make_story(owner=self.stranger)))
        self.client.force_login(self.owner)
        url = reverse("scene_edit", args=[other.chapter.story.slug, 1, 1])
        assert self.client.get(url).status_code == 404

    def test_the_manage_page_queries_stay_flat_as_scenes_grow(self):
        for _ in range(2):
            chapter = make_chapter(self.story)
            for _ in range(4):
                make_scene(chapter, characters=[self.aleksei, self.lucia])
        self.client.force_login(self.owner)
        self.client.get(self.url("story_manage"))
        # 6 for the page, 1 for the owner's claims panel, 3 for the navigation's turn count
        # (memberships, scenes, casts).
        with self.assertNumQueries(10):
            response = self.client.get(self.url("story_manage"))
        self.assertContains(response, "Aleksei, Lucia", count=8)
        assert Chapter.objects.filter(story=self.story).count() == 3
