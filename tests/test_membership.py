"""Co-writers: invitations that need consent, answers, removal and roles."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Membership, Story


class InvitationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("mira", display_name="Mira")
        cls.cowriter = make_user("teo")
        cls.invitee = make_user("ines")
        cls.stranger = make_user("sasha")
        cls.story = make_story(
            owner=cls.owner,
            members=[cls.cowriter],
            title="Glass & Tide",
            visibility=Story.Visibility.MEMBERS,
        )
        cls.members_url = reverse("story_members", args=[cls.story.slug])

    def invite(self, username="ines", role="co_writer", as_user=None):
        self.client.force_login(as_user or self.owner)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.members_url, {"username": username, "role": role})

    def membership_of(self, user):
        return self.story.memberships.filter(user=user).first()


class InviteTests(InvitationTestCase):
    def test_an_invitation_waits_for_the_invitee_and_emails_them(self):
        response = self.invite(role="narrator")
        self.assertRedirects(response, self.members_url)
        invitation = self.membership_of(self.invitee)
        assert invitation.status == Membership.Status.INVITED
        assert invitation.role == Membership.Role.NARRATOR
        assert invitation.invited_by == self.owner
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["ines@example.test"]
        assert message.subject == "Mira invites you to write “Glass & Tide”"
        assert reverse("my_stories") in message.body
        assert reverse("preferences") in message.body
        assert "Glass &amp; Tide" in message.alternatives[0][0]

    def test_an_invitee_is_not_a_member_before_accepting(self):
        self.invite()
        self.client.force_login(self.invitee)
        assert self.client.get(self.story.get_absolute_url()).status_code == 404
        url = reverse("story_manage", args=[self.story.slug])
        assert self.client.get(url).status_code == 404

    def test_no_email_for_a_writer_who_turned_invitation_emails_off(self):
        self.invitee.notify_on_invitation = False
        self.invitee.save()
        self.invite()
        assert self.membership_of(self.invitee).status == Membership.Status.INVITED
        assert mail.outbox == []

    def test_usernames_are_found_whatever_their_case_or_at_sign(self):
        self.invite(username="@INES")
        assert self.membership_of(self.invitee).status == Membership.Status.INVITED

    def test_an_unknown_username_is_a_clear_error(self):
        response = self.invite(username="nobody-here")
        self.assertContains(response, "No writer is called “nobody-here”", status_code=400)
        self.assertContains(response, 'value="nobody-here"', status_code=400)

    def test_a_member_or_an_invitee_cannot_be_invited_twice(self):
        self.assertContains(self.invite(username="teo"), "already a member", status_code=400)
        self.invite()
        self.assertContains(self.invite(), "already been invited", status_code=400)
        assert len(mail.outbox) == 1

    def test_the_owner_cannot_be_invited_to_another_role(self):
        response = self.invite(username="mira", role="narrator")
        self.assertContains(response, "already a member", status_code=400)

    def test_nobody_can_be_invited_as_owner(self):
        response = self.invite(role="owner")
        self.assertContains(response, "Select a valid choice", status_code=400)
        assert self.membership_of(self.invitee) is None

    def test_a_cowriter_cannot_invite(self):
        assert self.invite(as_user=self.cowriter).status_code == 403
        assert self.membership_of(self.invitee) is None

    def test_a_stranger_cannot_see_or_use_the_members_page(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.members_url).status_code == 404
        assert self.invite(as_user=self.stranger).status_code == 404

    def test_the_members_page_queries_stay_flat(self):
        for n in range(4):
            self.invite(username=make_user(f"guest{n}").username)
        self.client.force_login(self.owner)
        # 4 for the page, 2 for the navigation's turn count (memberships, no scenes).
        with self.assertNumQueries(6):
            response = self.client.get(self.members_url)
        self.assertContains(response, "waiting for an answer", count=4)


class AnswerTests(InvitationTestCase):
    def setUp(self):
        self.invite()
        self.invitation = self.membership_of(self.invitee)
        self.client.force_login(self.invitee)

    def answer(self, verb, **data):
        url = reverse(f"invitation_{verb}", args=[self.invitation.pk])
        return self.client.post(url, data)

    def test_accepting_makes_the_invitee_a_member(self):
        response = self.answer("accept")
        self.assertRedirects(response, reverse("story_manage", args=[self.story.slug]))
        self.invitation.refresh_from_db()
        assert self.invitation.status == Membership.Status.ACTIVE
        assert self.invitation.responded_at is not None
        assert self.client.get(self.story.get_absolute_url()).status_code == 200

    def test_declining_leaves_the_story_alone(self):
        self.answer("decline")
        self.invitation.refresh_from_db()
        assert self.invitation.status == Membership.Status.DECLINED
        assert self.client.get(self.story.get_absolute_url()).status_code == 404

    def test_an_answer_returns_to_the_page_it_came_from_on_this_site_only(self):
        assert self.answer("decline", next="/dashboard/").url == "/dashboard/"

    def test_someone_else_cannot_accept_your_invitation(self):
        for user in (self.stranger, self.owner, self.cowriter):
            self.client.force_login(user)
            assert self.answer("accept").status_code == 404
        self.invitation.refresh_from_db()
        assert self.invitation.status == Membership.Status.INVITED

    def test_accepting_needs_a_post(self):
        url = reverse("invitation_accept", args=[self.invitation.pk])
        assert self.client.get(url).status_code == 405

    def test_a_withdrawn_invitation_cannot_be_accepted(self):
        self.client.force_login(self.owner)
        self.client.post(reverse("member_remove", args=[self.story.slug, self.invitation.pk]))
        self.client.force_login(self.invitee)
        response = self.client.post(
            reverse("invitation_accept", args=[self.invitation.pk]), follow=True
        )
        self.assertContains(response, "is no longer open")
        assert self.membership_of(self.invitee).status == Membership.Status.REMOVED

    def test_an_invitation_is_answered_once(self):
        self.answer("decline")
        assert self.answer("accept").url == reverse("my_stories")
        assert self.membership_of(self.invitee).status == Membership.Status.DECLINED

    def test_a_double_click_on_accept_lands_in_the_story_not_on_an_error(self):
        self.answer("accept")
        response = self.answer("accept")
        self.assertRedirects(response, reverse("story_manage", args=[self.story.slug]))
        assert self.membership_of(self.invitee).status == Membership.Status.ACTIVE

    def test_a_declined_writer_can_be_invited_again(self):
        self.answer("decline")
        mail.outbox.clear()
        self.invite(role="narrator")
        invitation = self.membership_of(self.invitee)
        assert invitation.status == Membership.Status.INVITED
        assert invitation.role == Membership.Role.NARRATOR
        assert invitation.responded_at is None
        assert len(mail.outbox) == 1

    def test_pending_invitations_are_listed_with_accept_and_decline(self):
        response = self.client.get(reverse("my_stories"))
        self.assertContains(response, "Glass &amp; Tide")
        self.assertContains(response, reverse("invitation_accept", args=[self.invitation.pk]))
        self.assertContains(response, reverse("invitation_decline", args=[self.invitation.pk]))

    def test_a_fresh_invitation_says_just_now_and_an_older_one_its_age(self):
        page = self.client.get(reverse("my_stories"))
        self.assertContains(page, "Invited <time")
        self.assertContains(page, ">just now</time>")
        self.assertNotContains(page, "0\xa0minutes")
        self.assertNotContains(page, "0 minutes")
        Membership.objects.filter(pk=self.invitation.pk).update(
            created_at=timezone.now() - timedelta(hours=3, minutes=5)
        )
        self.assertContains(self.client.get(reverse("my_stories")), ">3\xa0hours ago</time>")

    def test_the_invitations_partial_renders_in_a_fixed_number_of_queries(self):
        for n in range(3):
            host = make_user(f"host{n}")
            Membership.objects.create(
                story=make_story(owner=host), user=self.invitee, invited_by=host
            )
        request = RequestFactory().get("/dashboard/")
        request.user = self.invitee
        with self.assertNumQueries(1):
            html = render_to_string(
                "threads/accounts/_invitations.html",
                {"invitations": Membership.objects.pending_invitations(self.invitee)},
                request=request,
            )
        assert html.count("Accept<span") == 4
        assert 'value="/dashboard/"' in html


class RemoveAndRoleTests(InvitationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.teo_membership = cls.story.memberships.get(user=cls.cowriter)
        chapter = make_chapter(cls.story)
        cls.lucia = make_character(owner=cls.cowriter, name="Lucia Ferro")
        cls.aleksei = make_character(owner=cls.owner, name="Aleksei Varga")
        cls.open_scene = make_scene(chapter, characters=[cls.aleksei, cls.lucia])
        cls.closed_scene = make_scene(chapter, characters=[cls.aleksei, cls.lucia], is_open=False)
        cls.post = make_post(cls.closed_scene, character=cls.lucia, body="Lucia lit the lamp.")

    def remove(self, membership, as_user=None):
        self.client.force_login(as_user or self.owner)
        url = reverse("member_remove", args=[self.story.slug, membership.pk])
        return self.client.post(url)

    def test_removing_a_member_keeps_their_posts_credited_to_them(self):
        self.assertRedirects(self.remove(self.teo_membership), self.members_url)
        self.teo_membership.refresh_from_db()
        assert self.teo_membership.status == Membership.Status.REMOVED
        self.post.refresh_from_db()
        assert self.post.author == self.cowriter
        assert self.post.character == self.lucia
        self.story.visibility = Story.Visibility.PUBLIC
        self.story.save()
        chapter_page = self.client.get(self.post.scene.chapter.get_absolute_url())
        self.assertContains(chapter_page, "Lucia lit the lamp.")
        self.assertContains(chapter_page, "teo")

    def test_a_removed_members_characters_leave_open_scenes_only(self):
        self.remove(self.teo_membership)
        open_cast = list(self.open_scene.participants.values_list("character", flat=True))
        closed_cast = list(self.closed_scene.participants.values_list("character", flat=True))
        assert open_cast == [self.aleksei.pk]
        assert closed_cast == [self.aleksei.pk, self.lucia.pk]

    def test_a_removed_member_loses_access_to_the_draft(self):
        self.remove(self.teo_membership)
        self.client.force_login(self.cowriter)
        assert self.client.get(self.story.get_absolute_url()).status_code == 404

    def test_a_removed_member_can_be_invited_back(self):
        self.remove(self.teo_membership)
        self.invite(username="teo")
        assert self.membership_of(self.cowriter).status == Membership.Status.INVITED

    def test_the_owner_cannot_be_removed(self):
        owner_membership = self.membership_of(self.owner)
        assert self.remove(owner_membership).status_code == 404
        owner_membership.refresh_from_db()
        assert owner_membership.status == Membership.Status.ACTIVE

    def test_a_cowriter_cannot_remove_anyone(self):
        owner_membership = self.membership_of(self.owner)
        assert self.remove(owner_membership, as_user=self.cowriter).status_code == 403
        assert self.remove(self.teo_membership, as_user=self.cowriter).status_code == 403

    def test_a_stranger_cannot_remove_anyone(self):
        assert self.remove(self.teo_membership, as_user=self.stranger).status_code == 404
        self.teo_membership.refresh_from_db()
        assert self.teo_membership.status == Membership.Status.ACTIVE

    def test_a_membership_of_another_story_cannot_be_removed_through_this_one(self):
        other = make_story(owner=make_user("olga"), members=[self.invitee])
        foreign = other.memberships.get(user=self.invitee)
        assert self.remove(foreign).status_code == 404

    def test_remove_and_withdraw_ask_first_through_confirm_js(self):
        self.invite()
        self.client.force_login(self.owner)
        page = self.client.get(self.members_url)
        self.assertContains(page, 'data-confirm="Remove teo from “Glass &amp; Tide”?')
        self.assertContains(page, 'data-confirm="Withdraw the invitation to ines?"')
        self.assertContains(page, 'src="/static/js/confirm.js" defer')
        assert "data-confirm" in Path(finders.find("js/confirm.js")).read_text()

    def test_the_owner_makes_a_cowriter_a_narrator(self):
        self.client.force_login(self.owner)
        url = reverse("member_role", args=[self.story.slug, self.teo_membership.pk])
        self.client.post(url, {"role": "narrator"})
        self.teo_membership.refresh_from_db()
        assert self.teo_membership.role == Membership.Role.NARRATOR
        assert self.teo_membership.can_manage

    def test_no_member_can_be_made_owner(self):
        self.client.force_login(self.owner)
        url = reverse("member_role", args=[self.story.slug, self.teo_membership.pk])
        response = self.client.post(url, {"role": "owner"}, follow=True)
        self.assertContains(response, "Choose co-writer or narrator")
        self.teo_membership.refresh_from_db()
        assert self.teo_membership.role == Membership.Role.CO_WRITER


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_removing_a_member_in_a_real_browser_asks_first(live_server, new_page):
    owner, cowriter = make_user("mira"), make_user("teo")
    story = make_story(owner=owner, members=[cowriter], title="Glass & Tide")
    page = new_page()
    log_in(page, live_server, "mira")
    page.goto(live_server.url + reverse("story_members", args=[story.slug]))
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("button", name="Remove")).to_be_visible()
    assert story.memberships.get(user=cowriter).status == Membership.Status.ACTIVE

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".message-success")).to_contain_text("teo is no longer a member")
    assert story.memberships.get(user=cowriter).status == Membership.Status.REMOVED
    assert questions[0].startswith("Remove teo from “Glass & Tide”?")
