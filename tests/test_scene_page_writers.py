"""The scene page for writers: what they may post when it is not their turn, the kind of
post kept through a login, pages of a long scene, and what is new since their last visit."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_narrator, make_post
from threads.models import Post, SceneVisit
from threads.views.posting import SCENE_PAGE_SIZE


def scene_url(cast):
    return cast.scene.get_absolute_url()


def page(client, cast, user=None, query=""):
    if user is not None:
        client.force_login(user)
    response = client.get(scene_url(cast) + query)
    assert response.status_code == 200
    return response.content.decode()


def selected_kind(html):
    return re.search(r'<option value="([^"]+)" selected>', html).group(1)


def post_numbers(html):
    return [int(n) for n in re.findall(r'<article class="post[^"]*" id="post-\d+-(\d+)"', html)]


def take_turns(cast, count, first_number=1):
    """``count`` approved posts, Aleksei and Lucia alternating."""
    for n in range(count):
        character = (cast.aleksei, cast.lucia)[n % 2]
        make_post(cast.scene, character=character, body=f"Turn {first_number + n}.")


def seen_url(cast):
    return reverse("scene_seen", args=[cast.story.slug, cast.chapter.number, cast.scene.position])


def last_seen(user, cast):
    visit = SceneVisit.objects.filter(user=user, scene=cast.scene).first()
    return visit.last_seen_number if visit else None


@pytest.fixture
def long_scene(cast):
    """120 approved posts: three pages."""
    take_turns(cast, 2 * SCENE_PAGE_SIZE + 20)
    return cast


# --- Not your turn -------------------------------------------------------------------------


def test_writer_who_is_not_up_is_told_so_and_offered_an_ooc_note(client, cast):
    html = page(client, cast, cast.teo)
    assert f"It is not your turn: <bdi>{cast.aleksei.name}</bdi> is up." in html
    assert "You can post an out-of-character note now" in html
    assert selected_kind(html) == "ooc"


def test_writer_who_is_up_gets_their_character_and_no_notice(client, cast):
    html = page(client, cast, cast.mira)
    assert "It is not your turn" not in html
    assert selected_kind(html) == f"character-{cast.aleksei.pk}"


def test_owner_who_is_not_up_is_offered_narration_too_but_starts_on_a_note(client, cast):
    make_post(cast.scene, character=cast.aleksei)
    html = page(client, cast, cast.mira)
    assert "You can post narration or an out-of-character note now" in html
    assert selected_kind(html) == "ooc"


def test_narrator_without_a_character_starts_on_narration(client, cast):
    nora = make_narrator(cast.story)
    html = page(client, cast, nora)
    assert "You can post narration or an out-of-character note now" in html
    assert selected_kind(html) == "narration"


def test_free_scene_says_nothing_about_turns(client, cast):
    cast.scene.turn_mode = "free"
    cast.scene.save(update_fields=["turn_mode"])
    html = page(client, cast, cast.teo)
    assert "It is not your turn" not in html
    assert selected_kind(html) == f"character-{cast.lucia.pk}"


# --- A session that ended ------------------------------------------------------------------


def log_out_submit_and_log_in(client, cast, user, post_as):
    submit = reverse("post_submit", args=[cast.story.slug, cast.chapter.number, 1])
    client.post(submit, {"post_as": post_as, "body": "Kept with its kind."})
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return page(client, cast)


def test_the_kind_of_post_comes_back_with_the_text_after_logging_in(client, cast):
    # Mira is up, so her character would be offered first: the note she chose must win.
    html = log_out_submit_and_log_in(client, cast, cast.mira, "ooc")
    assert "Kept with its kind.</textarea>" in html
    assert selected_kind(html) == "ooc"
    assert not Post.objects.exists()


def test_a_kept_kind_the_writer_may_not_choose_is_not_selected(client, cast):
    # Teo may not narrate: the form offers what he may post now instead.
    html = log_out_submit_and_log_in(client, cast, cast.teo, "narration")
    assert "Kept with its kind.</textarea>" in html
    assert selected_kind(html) == "ooc"


# --- Turn panel links ----------------------------------------------------------------------


def test_turn_panel_links_to_the_form_and_the_newest_post(client, cast):
    take_turns(cast, 2)
    html = page(client, cast, cast.mira)
    assert '<a href="#post-form">Write your turn</a>' in html
    assert f'<a href="?post=2#post-{cast.scene.pk}-2">Jump to newest</a>' in html
    assert 'id="post-form"' in html


# --- Pages ---------------------------------------------------------------------------------


def test_readers_start_at_the_first_page(client, long_scene):
    numbers = post_numbers(page(client, long_scene))
    assert numbers == list(range(1, SCENE_PAGE_SIZE + 1))


def test_members_start_at_the_newest_page(client, long_scene):
    numbers = post_numbers(page(client, long_scene, long_scene.teo))
    assert numbers == list(range(2 * SCENE_PAGE_SIZE + 1, 2 * SCENE_PAGE_SIZE + 21))


def test_page_parameter_chooses_the_page_and_nonsense_falls_back(client, long_scene):
    assert post_numbers(page(client, long_scene, query="?page=2"))[0] == SCENE_PAGE_SIZE + 1
    assert post_numbers(page(client, long_scene, query="?page=99"))[0] == 2 * SCENE_PAGE_SIZE + 1
    assert post_numbers(page(client, long_scene, query="?page=x²"))[0] == 1


def test_a_post_link_lands_on_the_page_that_holds_it(client, long_scene):
    html = page(client, long_scene, query="?post=75")
    assert 75 in post_numbers(html)
    assert f'href="?post=75#post-{long_scene.scene.pk}-75"' in html


def test_a_post_link_counts_the_posts_this_reader_sees_not_the_numbers(client, cast):
    # Ten withdrawn posts leave gaps: post 55 is the 45th post anyone sees, so on page 1.
    take_turns(cast, 10)
    for _ in range(10):
        make_post(cast.scene, character=cast.aleksei, status=Post.Status.WITHDRAWN)
    take_turns(cast, 60, first_number=21)
    assert 55 in post_numbers(page(client, cast, query="?post=55"))
    assert 55 in post_numbers(page(client, cast, cast.teo, query="?post=55"))


def test_after_an_edit_the_writer_lands_on_the_page_of_the_post(client, long_scene):
    post = Post.objects.get(scene=long_scene.scene, number=3)
    client.force_login(post.author)
    response = client.post(reverse("post_edit", args=[post.pk]), {"body": "Turn 3, mended."})
    assert response.status_code == 302
    assert "?post=3&saved=" in response.url
    assert 3 in post_numbers(client.get(response.url).content.decode())


# --- New since your last visit -------------------------------------------------------------


def test_new_posts_are_marked_and_counted_for_a_returning_member(client, cast):
    take_turns(cast, 3)  # 1 and 3 are Mira's (Aleksei), 2 is Teo's (Lucia)
    SceneVisit.objects.create(user=cast.mira, scene=cast.scene, last_seen_number=1)
    make_post(cast.scene, author=cast.teo, kind="ooc", body="Back on Monday.")
    html = page(client, cast, cast.mira)
    divider = html.index("New since your last visit</p>")
    assert html.index(f'id="post-{cast.scene.pk}-1"') < divider
    assert divider < html.index(f'id="post-{cast.scene.pk}-2"')
    # Posts 2 and 4 are new to Mira; 3 is her own, and not news to her.
    assert 'href="?post=2#new-posts" class="unread-count">2 new posts since' in html


def test_first_visit_and_readers_see_no_unread_marker(client, cast):
    take_turns(cast, 3)
    assert "New since your last visit" not in page(client, cast, cast.teo)
    client.logout()
    assert "New since your last visit" not in page(client, cast)


def test_reading_the_scene_page_writes_nothing(client, cast):
    take_turns(cast, 3)
    html = page(client, cast, cast.teo)
    assert last_seen(cast.teo, cast) is None
    # The page carries the form scene-visit.js sends, with the newest number it shows.
    assert f'action="{seen_url(cast)}" data-scene-seen hidden' in html
    assert 'name="number" value="3"' in html


def test_reporting_the_page_seen_moves_the_marker_forward_only(client, cast):
    take_turns(cast, 5)
    client.force_login(cast.teo)
    assert client.post(seen_url(cast), {"number": "4"}).status_code == 204
    assert last_seen(cast.teo, cast) == 4
    client.post(seen_url(cast), {"number": "2"})
    assert last_seen(cast.teo, cast) == 4
    # A number past the scene's last post is held to it.
    client.post(seen_url(cast), {"number": "999999"})
    assert last_seen(cast.teo, cast) == 5


def test_a_reader_cannot_record_a_visit(client, cast, stranger):
    take_turns(cast, 2)
    client.force_login(stranger)
    assert client.post(seen_url(cast), {"number": "2"}).status_code == 400
    assert client.post(seen_url(cast), {"number": "²"}).status_code == 400
    assert not SceneVisit.objects.exists()


def test_posting_counts_as_having_read_up_to_ones_own_post(client, cast):
    take_turns(cast, 3)
    client.force_login(cast.teo)
    submit = reverse("post_submit", args=[cast.story.slug, cast.chapter.number, 1])
    client.post(submit, {"post_as": f"character-{cast.lucia.pk}", "body": "Lucia answers."})
    assert last_seen(cast.teo, cast) == 4


# --- Query ceilings ------------------------------------------------------------------------


def count_queries(client, url, django_assert_max_num_queries, ceiling):
    with django_assert_max_num_queries(ceiling) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("as_member", "ceiling"), [(False, 8), (True, 16)])
def test_scene_page_queries_do_not_grow_with_the_scene(
    client, cast, as_member, ceiling, django_assert_max_num_queries
):
    if as_member:
        client.force_login(cast.teo)
        SceneVisit.objects.create(user=cast.teo, scene=cast.scene, last_seen_number=1)
    take_turns(cast, 4)
    few = count_queries(client, scene_url(cast), django_assert_max_num_queries, ceiling)
    take_turns(cast, 3 * SCENE_PAGE_SIZE, first_number=5)
    for query in ("", "?page=2", "?post=60"):
        url = scene_url(cast) + query
        assert count_queries(client, url, django_assert_max_num_queries, ceiling) == few
