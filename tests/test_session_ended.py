"""A post sent from a form whose session has ended: the writer logs in and finds their text
back in the form, whole, whatever it is; text past the length limit comes back with the
limit explained, and is refused again (still kept) until shortened."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from threads.models import Post


@pytest.fixture
def short_limit(settings):
    settings.RP_MAX_POST_LENGTH = 60


def send_logged_out(client, cast, body):
    scene = cast.scene
    url = reverse("post_submit", args=[cast.story.slug, scene.chapter.number, scene.position])
    return client.post(url, {"post_as": f"character-{cast.aleksei.pk}", "body": body})


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_an_overlong_post_comes_back_whole_after_logging_in(client, cast, short_limit):
    body = "Marisol climbed the tower stair by stair, counting each one. " * 3
    response = send_logged_out(client, cast, body)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    log_in(client, "mira")
    page = client.get(cast.scene.get_absolute_url())
    assert f"{body}</textarea>" in page.content.decode()
    assert (
        f"Your text from before you logged in is back in the form. Your post is {len(body)} "
        "characters long; the limit is 60. Shorten it or split it into two posts."
    ) in messages_of(page)
    assert not Post.objects.exists()


def test_the_overlong_text_is_refused_again_and_still_kept(client, cast, short_limit):
    body = "Corwin counted the lanterns on the quay twice, then a third time. " * 2
    send_logged_out(client, cast, body)
    log_in(client, "mira")
    client.get(cast.scene.get_absolute_url())
    response = send_logged_out(client, cast, body)  # logged in now: the ordinary path
    assert response.status_code == 400
    assert f"{body}</textarea>" in response.content.decode()
    assert not Post.objects.exists()


def test_a_post_within_the_limit_comes_back_without_a_warning(client, cast):
    send_logged_out(client, cast, "Kept safe.")
    log_in(client, "mira")
    page = client.get(cast.scene.get_absolute_url())
    assert "Kept safe.</textarea>" in page.content.decode()
    assert "Your text from before you logged in is back in the form." in messages_of(page)


def test_an_empty_form_sent_logged_out_is_told_to_log_in(client, cast):
    response = send_logged_out(client, cast, "  ")
    login_page = client.get(response.url)
    assert messages_of(login_page) == ["Log in to post."]
    assert not Post.objects.exists()
