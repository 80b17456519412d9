"""Following a story by e-mail: the outbox written when something is published, sent by
send_notifications (idempotently), describing only what readers may see, to readers who may
still read; the one-click unsubscribe link works logged out and refuses a forged one."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_chapter, make_pending_post, make_post, make_scene
from threads.library import outbox, subscriptions
from threads.models import Notification, Story, Subscription
from threads.writing import structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(stranger):
    return stranger


def send():
    mail.outbox.clear()
    call_command("send_notifications", stdout=io.StringIO())
    return list(mail.outbox)


def test_a_new_chapter_mails_its_followers_once(cast, reader):
    subscriptions.subscribe(reader, cast.story, "chapter")
    draft = make_chapter(cast.story, title="The Ferry at Dawn", is_published=False)
    structure.publish_chapter(draft, True)
    structure.publish_chapter(draft, True)  # a replayed publish adds nothing
    sent = send()
    assert len(sent) == 1
    assert "The Ferry at Dawn" in sent[0].subject
    assert sent[0].extra_headers["List-Unsubscribe"].startswith("<http")
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send() == []  # idempotent: nothing left to send


def test_a_chapter_taken_down_before_sending_is_not_described(cast, reader):
    subscriptions.subscribe(reader, cast.story, "chapter")
    draft = make_chapter(cast.story, title="Secret Chapter", is_published=False)
    structure.publish_chapter(draft, True)
    structure.publish_chapter(draft, False)
    assert send() == []


def test_a_story_made_private_sends_nothing(cast, reader):
    subscriptions.subscribe(reader, cast.story, "chapter")
    draft = make_chapter(cast.story, is_published=False)
    structure.publish_chapter(draft, True)
    Story.objects.filter(pk=cast.story.pk).update(visibility=Story.Visibility.MEMBERS)
    assert send() == []


def test_the_digest_lists_only_published_posts_once_a_day(cast, reader):
    subscription = subscriptions.subscribe(reader, cast.story, "digest")
    make_post(cast.scene, character=cast.aleksei, body="Published words here.")
    make_pending_post(cast.scene, cast.lucia, body="Pending words.")
    make_post(cast.scene, character=cast.aleksei, body="Behind the frontier.")
    hidden = make_chapter(cast.story, title="Unpublished chapter", is_published=False)
    make_post(make_scene(hidden, title="Hidden scene"), author=cast.mira, body="Hidden text")
    sent = send()
    assert len(sent) == 1
    body = sent[0].body
    assert "1 new post" in sent[0].subject
    assert "Unpublished chapter" not in body and "Hidden scene" not in body
    # A second post the same day waits for tomorrow's digest.
    make_post(make_scene(cast.chapter, title="Later"), author=cast.mira, body="More.")
    assert send() == []
    Subscription.objects.filter(pk=subscription.pk).update(
        last_digest_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert len(send()) == 1


def test_two_runs_never_send_a_row_twice(cast, reader):
    subscriptions.subscribe(reader, cast.story, "chapter")
    structure.publish_chapter(make_chapter(cast.story, is_published=False), True)
    note = Notification.objects.get()
    assert outbox._claim(note, timezone.now())
    assert not outbox._claim(note, timezone.now())


def test_the_unsubscribe_link_works_logged_out(client, cast, reader):
    subscription = subscriptions.subscribe(reader, cast.story, "chapter")
    url = reverse("unsubscribe", args=[subscriptions.token(subscription)])
    assert client.get(url).status_code == 200
    assert Subscription.objects.exists()  # GET only asks
    assert client.post(url).status_code == 200
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("forge", ["altered", "unsigned"])
def test_a_forged_unsubscribe_link_is_refused(client, cast, reader, forge):
    subscription = subscriptions.subscribe(reader, cast.story, "chapter")
    token = subscriptions.token(subscription)
    token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    if forge == "unsigned":
        token = f"{subscription.pk}"
    response = client.post(reverse("unsubscribe", args=[token]))
    assert response.status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_reader_follows_from_the_story_page(client, cast, reader):
    make_post(cast.scene, character=cast.aleksei)
    client.force_login(reader)
    client.post(reverse("subscribe", args=[cast.story.slug]), {"mode": "digest"})
    assert Subscription.objects.get(user=reader).mode == "digest"


def test_a_private_story_cannot_be_followed(client, cast, reader):
    Story.objects.filter(pk=cast.story.pk).update(visibility=Story.Visibility.MEMBERS)
    client.force_login(reader)
    response = client.post(reverse("subscribe", args=[cast.story.slug]), {"mode": "chapter"})
    assert response.status_code == 404
    assert not Subscription.objects.exists()
