"""The actions offered under each post (edit, history, withdraw, report) follow the rules of
the views behind them: nobody is offered a link that would refuse them. Worked out in
Python (threads.views.access.post_actions, from threads.models.Post), not in templates."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import make_post, make_user
from threads.models import Membership, Post
from threads.writing import membership as memberships
from threads.writing import posting


@pytest.fixture
def teo_post(cast):
    """Aleksei has posted; Teo answers as Lucia: his is the scene's latest post."""
    make_post(cast.scene, character=cast.aleksei, body="Aleksei lit the lantern.")
    return make_post(cast.scene, character=cast.lucia, body="Lucia watched the road.")


def links(client, user, url):
    """The page's HTML as ``user`` (None: anonymous) sees it."""
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def edit_link(post):
    return f'href="{reverse("post_edit", args=[post.pk])}"'


def history_link(post):
    return f'href="{reverse("post_history", args=[post.pk])}"'


def withdraw_form(post):
    return f'action="{reverse("post_withdraw", args=[post.pk])}"'


def report_link(post):
    return f'href="{reverse("report_post", args=[post.pk])}?next='


def test_author_who_is_a_member_is_offered_edit_history_and_withdraw(client, cast, teo_post):
    page = links(client, cast.teo, cast.scene.get_absolute_url())
    assert edit_link(teo_post) in page
    assert history_link(teo_post) in page
    assert withdraw_form(teo_post) in page
    assert report_link(teo_post) not in page  # one's own post is withdrawn, not reported


def test_another_member_is_offered_history_and_report_but_not_edit(client, cast, teo_post):
    page = links(client, cast.mira, cast.scene.get_absolute_url())
    assert history_link(teo_post) in page
    assert report_link(teo_post) in page
    assert edit_link(teo_post) not in page
    assert withdraw_form(teo_post) not in page


def test_author_is_offered_edit_on_the_chapter_page_too(client, cast, teo_post):
    page = links(client, cast.teo, cast.chapter.get_absolute_url())
    assert edit_link(teo_post) in page
    assert report_link(teo_post) not in page


def test_signed_in_reader_is_offered_report_only(client, cast, teo_post):
    reader = make_user("sasha")
    for url in (cast.scene.get_absolute_url(), cast.chapter.get_absolute_url()):
        page = links(client, reader, url)
        assert report_link(teo_post) in page
        assert edit_link(teo_post) not in page
        assert history_link(teo_post) not in page


def test_anonymous_reader_is_offered_no_action(client, cast, teo_post):
    page = links(client, None, cast.chapter.get_absolute_url())
    assert 'class="post-action' not in page


def test_removed_member_is_not_offered_edit(client, cast, teo_post):
    memberships.remove(Membership.objects.get(story=cast.story, user=cast.teo))
    for url in (cast.scene.get_absolute_url(), cast.chapter.get_absolute_url()):
        page = links(client, cast.teo, url)
        assert "Lucia watched the road." in page  # the public story still shows it
        assert edit_link(teo_post) not in page
        assert history_link(teo_post) not in page
        assert withdraw_form(teo_post) not in page


def test_removed_member_would_be_refused_edit_anyway(client, cast, teo_post):
    memberships.remove(Membership.objects.get(story=cast.story, user=cast.teo))
    client.force_login(cast.teo)
    url = reverse("post_edit", args=[teo_post.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"body": "Rewritten after leaving."})
    assert response.status_code == 403
    teo_post.refresh_from_db()
    assert teo_post.body == "Lucia watched the road."
    assert teo_post.revisions.count() == 1


def test_skip_record_offers_no_edit_and_no_report(client, cast):
    make_post(cast.scene, character=cast.aleksei, body="Aleksei lit the lantern.")
    skip = posting.skip_turn(cast.scene, cast.mira, cast.lucia.pk)
    assert skip.is_skip
    page = links(client, cast.mira, cast.scene.get_absolute_url())
    assert "Undo this skip" in page  # its writer may still take it back
    assert edit_link(skip) not in page
    assert history_link(skip) not in page
    page = links(client, cast.teo, cast.scene.get_absolute_url())
    assert report_link(skip) not in page


def test_post_rules_need_no_queries(cast, teo_post, django_assert_num_queries):
    teo_membership = cast.story.membership_of(cast.teo)
    post = Post.objects.get(pk=teo_post.pk)
    with django_assert_num_queries(0):
        assert post.editable_by(cast.teo, teo_membership)
        assert not post.editable_by(cast.teo, None)
        assert not post.editable_by(cast.mira, teo_membership)
        assert post.history_visible_to(teo_membership)
        assert post.reportable_by(cast.mira)
        assert not post.reportable_by(cast.teo)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_withdrawing_asks_first_in_the_browser(live_server, new_page, cast, teo_post):
    page = new_page()
    log_in(page, live_server, "teo")
    page.goto(live_server.url + cast.scene.get_absolute_url())
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name=f"Withdraw post #{teo_post.number}").click()
    expect(page.get_by_text("Lucia watched the road.")).to_be_visible()
    assert len(questions) == 1
    assert questions[0].startswith(f"Withdraw post #{teo_post.number}? It leaves the scene")
    teo_post.refresh_from_db()
    assert teo_post.is_approved
