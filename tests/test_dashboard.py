"""The dashboard: scenes where it is your turn, invitations, and recent activity."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Membership, Post, Scene


class DashboardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mira = make_user("mira", display_name="Mira")
        cls.teo = make_user("teo", display_name="Teo")
        cls.story = make_story(owner=cls.mira, members=[cls.teo], title="The Lantern Road")
        cls.aleksei = make_character(cls.mira, name="Aleksei")
        cls.lucia = make_character(cls.teo, name="Lucia")
        cls.chapter = make_chapter(cls.story)

    def setUp(self):
        self.client.force_login(self.teo)

    def scene_waiting_for_lucia(self, title, hours_ago):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia], title=title)
        make_post(
            scene,
            character=self.aleksei,
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        )
        return scene

    def dashboard(self):
        return self.client.get(reverse("dashboard"))

    def test_scenes_where_it_is_your_turn_are_listed_oldest_waiting_first(self):
        self.scene_waiting_for_lucia("At the Mill", hours_ago=2)
        self.scene_waiting_for_lucia("On the Ford", hours_ago=30)
        response = self.dashboard()
        self.assertEqual(
            [state.scene.title for state in response.context["your_turn"]],
            ["On the Ford", "At the Mill"],
        )
        self.assertContains(response, "As <bdi>Lucia</bdi>")

    def test_your_turn_links_use_their_own_class_not_the_small_global_scene_link(self):
        self.scene_waiting_for_lucia("At the Mill", hours_ago=2)
        response = self.dashboard()
        self.assertContains(response, 'class="your-turn-scene"')
        self.assertNotContains(response, 'class="scene-link"')

    def test_scenes_where_someone_else_is_up_are_not_listed(self):
        make_scene(self.chapter, characters=[self.aleksei, self.lucia], title="Aleksei First")
        self.assertNotContains(self.dashboard(), "Aleksei First")

    def test_closed_and_free_scenes_are_not_listed(self):
        closed = self.scene_waiting_for_lucia("Closed Door", hours_ago=1)
        Scene.objects.filter(pk=closed.pk).update(is_open=False)
        make_scene(
            self.chapter,
            characters=[self.aleksei, self.lucia],
            title="Open Field",
            turn_mode=Scene.TurnMode.FREE,
        )
        response = self.dashboard()
        self.assertEqual(response.context["your_turn"], [])
        self.assertContains(response, "It is nobody's turn for you")

    def test_scene_waiting_for_narration_is_listed_for_the_owner(self):
        make_scene(
            self.chapter,
            characters=[self.lucia],
            title="Storm Tower",
            turn_mode=Scene.TurnMode.NARRATOR_LED,
        )
        self.client.force_login(self.mira)
        response = self.dashboard()
        self.assertContains(response, "Storm Tower")
        self.assertContains(response, "The players wait for your narration")

    def test_scenes_in_stories_you_left_are_not_listed(self):
        self.scene_waiting_for_lucia("Old Haunt", hours_ago=1)
        Membership.objects.filter(user=self.teo).update(status=Membership.Status.REMOVED)
        self.assertNotContains(self.dashboard(), "Old Haunt")

    def test_pending_invitations_are_listed_with_accept_and_decline(self):
        other = make_story(owner=self.mira, title="Salt and Iron")
        invitation = Membership.objects.create(
            story=other, user=self.teo, invited_by=self.mira, status=Membership.Status.INVITED
        )
        response = self.dashboard()
        self.assertContains(response, "Salt and Iron")
        self.assertContains(response, reverse("invitation_accept", args=[invitation.pk]))
        self.assertContains(response, reverse("invitation_decline", args=[invitation.pk]))

    def test_recent_activity_shows_posts_in_your_stories_only(self):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia], title="The Mill")
        make_post(scene, character=self.aleksei, status=Post.Status.PENDING)
        elsewhere = make_scene(make_chapter(make_story(title="Not Teo's")), title="Far Away")
        make_post(elsewhere)
        response = self.dashboard()
        activity = response.context["activity"]
        self.assertEqual([post.scene.title for post in activity], ["The Mill"])
        self.assertContains(response, "<bdi>Aleksei</bdi> (<bdi>Mira</bdi>) posted")
        self.assertContains(response, "awaiting approval")

    def test_others_rejected_posts_stay_out_of_activity(self):
        scene = make_scene(self.chapter, characters=[self.aleksei, self.lucia])
        make_post(scene, character=self.aleksei, status=Post.Status.REJECTED)
        self.assertEqual(self.dashboard().context["activity"], [])

    def test_dashboard_needs_a_signed_in_writer(self):
        self.client.logout()
        response = self.dashboard()
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response.url)

    def test_dashboard_costs_the_same_queries_with_many_stories_and_scenes(self):
        def queries_for_dashboard():
            with CaptureQueriesContext(connection) as context:
                self.assertEqual(self.dashboard().status_code, 200)
            return len(context)

        self.scene_waiting_for_lucia("First", hours_ago=1)
        make_scene(self.chapter, characters=[self.lucia], turn_mode=Scene.TurnMode.NARRATOR_LED)
        few = queries_for_dashboard()
        for number in range(6):
            story = make_story(owner=self.mira, members=[self.teo])
            chapter = make_chapter(story)
            for mode in Scene.TurnMode.values:
                scene = make_scene(chapter, characters=[self.aleksei, self.lucia], turn_mode=mode)
                make_post(scene, author=self.mira, kind=Post.Kind.NARRATION)
                make_post(scene, character=self.aleksei, body=f"Post {number}.")
            Membership.objects.create(
                story=make_story(owner=self.mira), user=self.teo, invited_by=self.mira
            )
        many = queries_for_dashboard()
        self.assertEqual(many, few)
        self.assertLessEqual(many, 12)
        self.assertGreater(len(self.dashboard().context["your_turn"]), 6)
