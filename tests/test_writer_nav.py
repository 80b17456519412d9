"""Signs that it is your turn outside the dashboard (a count in the navigation, a message
after logging in), the dashboard's activity by scene, and text in any script on story pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, make_chapter, make_post, make_scene, make_story
from threads.models import Post

STORY_LIST = "/stories/"


@pytest.fixture
def second_scene(cast):
    """Another round-robin scene of Aleksei and Lucia where nobody has posted: Mira is up."""
    return make_scene(cast.chapter, characters=[cast.aleksei, cast.lucia], title="The Ford")


def nav(response):
    page = response.content.decode()
    return page[page.index('<nav class="site-nav"') : page.index("</nav>")]


def log_in(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )


def test_the_navigation_counts_the_scenes_where_it_is_your_turn(client, cast, second_scene):
    client.force_login(cast.mira)
    menu = nav(client.get(STORY_LIST))
    assert '<span class="nav-count" aria-hidden="true">2</span>' in menu
    assert "your turn in 2 scenes" in menu


def test_the_count_follows_the_turn(client, cast, second_scene):
    make_post(cast.scene, character=cast.aleksei)
    client.force_login(cast.teo)
    assert "your turn in 1 scene<" in nav(client.get(STORY_LIST))
    client.force_login(cast.mira)
    assert "your turn in 1 scene<" in nav(client.get(STORY_LIST))


def test_no_count_for_a_writer_with_no_turn_waiting(client, cast, second_scene):
    client.force_login(cast.teo)
    assert "nav-count" not in nav(client.get(STORY_LIST))


def test_no_count_and_no_turn_queries_for_anonymous_readers(client, cast, second_scene):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STORY_LIST)
    assert "nav-count" not in response.content.decode()
    assert not [q for q in queries if "threads_participant" in q["sql"]]


def test_the_navigation_count_costs_the_same_with_many_scenes(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.mira)
    client.get(STORY_LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(STORY_LIST)
    for _ in range(3):
        chapter = make_chapter(cast.story)
        for _ in range(4):
            make_scene(chapter, characters=[cast.aleksei, cast.lucia])
    with django_assert_max_num_queries(len(few)):
        response = client.get(STORY_LIST)
    assert "your turn in 13 scenes" in nav(response)


def test_logging_in_with_turns_waiting_says_so_and_links_the_dashboard(client, cast, second_scene):
    response = log_in(client, cast.mira)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f'It is your turn in 2 scenes: <a href="{reverse("dashboard")}">see your dashboard</a>.'
    ]
    assert f'<a href="{reverse("dashboard")}">see your dashboard</a>' in response.content.decode()


def test_logging_in_with_no_turn_waiting_says_nothing(client, cast, second_scene):
    response = log_in(client, cast.teo)
    assert list(response.context["messages"]) == []
    assert "It is your turn" not in response.content.decode()


# The dashboard's activity


def activity_titles(response):
    return [item.scene.title for item in response.context["activity"]]


def test_activity_leaves_out_your_own_posts_and_groups_the_rest_by_scene(
    client, cast, second_scene
):
    make_post(cast.scene, character=cast.aleksei, body="Mira's own words.")
    make_post(cast.scene, character=cast.lucia, body="Lucia answers at the mill.")
    make_post(second_scene, character=cast.aleksei, body="Mira again.")
    make_post(second_scene, character=cast.lucia, body="Lucia at the ford.")
    make_post(second_scene, author=cast.teo, kind=Post.Kind.OUT_OF_CHARACTER, body="Brb!")
    client.force_login(cast.mira)
    response = client.get(reverse("dashboard"))
    assert activity_titles(response) == ["The Ford", cast.scene.title]
    ford = response.context["activity"][0]
    assert [post.body for post in ford.posts] == ["Brb!", "Lucia at the ford."]
    assert all(
        post.author_id == cast.teo.pk
        for item in response.context["activity"]
        for post in item.posts
    )
    page = response.content.decode()
    assert "Mira&#x27;s own words" not in page and "Mira again" not in page
    # The glimpse is of the story, not of the OOC note after it.
    assert '<p class="activity-excerpt" dir="auto">Lucia at the ford.</p>' in page


def test_a_scene_where_only_you_posted_is_not_in_the_activity(client, cast):
    make_post(cast.scene, character=cast.aleksei)
    client.force_login(cast.mira)
    response = client.get(reverse("dashboard"))
    assert response.context["activity"] == []
    assert "When your co-writers post, it shows here." in response.content.decode()


def test_the_activity_excerpt_is_short_plain_escaped_text(client, cast):
    # Markup written as code comes back from the renderer escaped; the excerpt shows it as
    # text, escaped once.
    body = "**Bold** & `<b>not bold</b>` " + "word " * 200
    make_post(cast.scene, character=cast.aleksei)
    make_post(cast.scene, character=cast.lucia, body=body)
    client.force_login(cast.mira)
    page = client.get(reverse("dashboard")).content.decode()
    excerpt = re.search(r'<p class="activity-excerpt" dir="auto">(.*?)</p>', page, re.S)[1]
    assert excerpt.startswith("Bold &amp; &lt;b&gt;not bold&lt;/b&gt; word")
    assert excerpt.endswith("word…")
    assert len(excerpt) < 300
    assert "<strong>" not in excerpt and "<code>" not in excerpt


def test_the_dashboard_costs_the_same_queries_for_a_little_or_a_lot_of_activity(
    client, cast, django_assert_max_num_queries
):
    make_post(cast.scene, character=cast.aleksei)
    make_post(cast.scene, character=cast.lucia)
    client.force_login(cast.mira)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    other = make_story(owner=cast.mira, members=[cast.teo])
    for _ in range(6):
        scene = make_scene(make_chapter(other), characters=[cast.aleksei, cast.lucia])
        for _ in range(3):
            make_post(scene, character=cast.aleksei)
            make_post(scene, character=cast.lucia)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("dashboard"))
    assert len(response.context["activity"]) == 7
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboard"))


# Text in any script


@pytest.fixture
def arabic_story(cast):
    cast.story.language = "ar"
    cast.story.title = "فنار الملح"
    cast.story.save(update_fields=["language", "title"])
    make_post(cast.scene, character=cast.aleksei, body="كان الضباب كثيفًا.")
    return cast.story


def story_pages(cast):
    return {
        "story": cast.story.get_absolute_url(),
        "chapter": cast.chapter.get_absolute_url(),
        "whole story": reverse("story_full", args=[cast.story.slug]),
        "scene": cast.scene.get_absolute_url(),
    }


@pytest.mark.parametrize("page_name", ["story", "chapter", "whole story", "scene"])
def test_story_pages_are_in_the_story_language_and_the_site_around_them_in_english(
    client, cast, arabic_story, page_name
):
    make_chapter(cast.story)  # the whole-story page needs a second chapter to link
    page = client.get(story_pages(cast)[page_name]).content.decode()
    assert '<html lang="en">' in page
    assert re.search(r'<main id="main"[^>]* lang="ar">', page)


def test_other_pages_keep_english_as_the_language_of_main(client, cast):
    page = client.get(STORY_LIST).content.decode()
    assert re.search(r'<main id="main"[^>]* lang="en">', page)


@pytest.mark.parametrize("page_name", ["story", "chapter", "whole story", "scene"])
def test_user_written_text_on_story_pages_finds_its_own_direction(
    client, cast, arabic_story, page_name
):
    client.force_login(cast.mira)
    page = client.get(story_pages(cast)[page_name]).content.decode()
    assert re.search(r'dir="auto">\s*فنار الملح<', page) or re.search(
        r'<h1 dir="auto">فنار الملح</h1>', page
    )
    if page_name != "story":
        assert '<div class="post-body" dir="auto"><p>كان الضباب كثيفًا.</p></div>' in page
        assert f'dir="auto">{cast.aleksei.name}</a>' in page
        assert re.search(rf'dir="auto">\s*{re.escape(cast.scene.title)}<', page)
    else:
        assert f'dir="auto">{cast.chapter.title}</a>' in page
