"""Links to one post land on the page of a long scene that holds it: every page that links to
a post asks Post.get_absolute_url (?post=N finds the page, the anchor the post on it)."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_post
from threads.models import Post
from threads.views.posting import SCENE_PAGE_SIZE

OLD = 3  # on the first page of three; members open the scene on the last


def post_numbers(html):
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-\d+-(\d+)"', html)]


def links_to_post(html, post):
    anchor = f"#post-{post.scene_id}-{post.number}"
    return [href for href in re.findall(r'href="([^"]+)"', html) if href.endswith(anchor)]


@pytest.fixture
def old_post(cast):
    """A 120-post scene in which Teo (Lucia) wrote only post 3 and Mira (Aleksei) the rest,
    so Teo's is the one post Mira's dashboard lists, and it sits on the first page."""
    for number in range(1, 2 * SCENE_PAGE_SIZE + 21):
        character = cast.lucia if number == OLD else cast.aleksei
        make_post(cast.scene, character=character, body=f"Turn {number}.")
    return Post.objects.get(scene=cast.scene, number=OLD)


def follow(client, html, post):
    links = links_to_post(html.replace("&amp;", "&"), post)
    assert links, "no link to the post"
    for href in links:
        assert href == post.get_absolute_url()
        response = client.get(href)
        assert response.status_code == 200
        assert post.number in post_numbers(response.content.decode())


def test_post_url_asks_for_its_page_and_anchors_the_post(cast):
    post = make_post(cast.scene, character=cast.aleksei)
    scene_url = cast.scene.get_absolute_url()
    assert post.get_absolute_url() == f"{scene_url}?post=1#post-{cast.scene.pk}-1"


def test_the_dashboard_links_to_an_old_post_on_the_page_that_holds_it(client, cast, old_post):
    client.force_login(cast.mira)
    html = client.get(reverse("dashboard")).content.decode()
    # Without ?post= a member lands on the newest page, which does not hold post 3.
    newest = client.get(cast.scene.get_absolute_url()).content.decode()
    assert OLD not in post_numbers(newest)
    follow(client, html, old_post)


@pytest.mark.parametrize("view", ["post_edit", "post_history"])
def test_the_writers_pages_of_a_post_link_back_to_its_page(client, cast, old_post, view):
    client.force_login(cast.teo)
    html = client.get(reverse(view, args=[old_post.pk])).content.decode()
    follow(client, html, old_post)


def test_the_admin_review_page_opens_the_post_on_the_site(client, cast, old_post, moderator):
    client.force_login(moderator)
    html = client.get(reverse("admin:threads_post_change", args=[old_post.pk])).content.decode()
    follow(client, html, old_post)
