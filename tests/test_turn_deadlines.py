"""Turn deadlines: a reminder halfway, a skip by the site at the deadline, each once.

The clock is moved by back-dating the moment the turn began (the scene's creation, or the
post that passed the turn), never by sleeping.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_cast, make_post
from threads.models import Post, Scene, User
from threads.writing import deadlines, posting, turns

DAYS = 4


@pytest.fixture
def cast(db, settings):
    settings.SITE_URL = "https://rp.example"
    return make_cast(
        story_title="The Lantern Road", scene_title="The Ford", turn_deadline_days=DAYS
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the deadlines as the command does, sending the e-mails they queue."""

    def run_deadlines(**options):
        with django_capture_on_commit_callbacks(execute=True):
            return deadlines.run(**options)

    return run_deadlines


def stall(scene, days):
    """Make the current turn (nobody has posted yet: Aleksei's) begin ``days`` ago."""
    Scene.objects.filter(pk=scene.pk).update(created_at=timezone.now() - timedelta(days=days))


def snapshot(scene):
    scene.refresh_from_db()
    posts = list(scene.posts.values_list("number", "kind", "character_id", "author_id"))
    return posts, scene.turn_reminded_for, len(mail.outbox)


def test_writer_who_is_up_is_reminded_once_halfway(cast, run):
    stall(cast.scene, days=2.5)
    outcomes = run()
    assert [(o.action, o.writer) for o in outcomes] == [(deadlines.REMIND, cast.mira)]
    assert [message.to for message in mail.outbox] == [["mira@example.test"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: your turn in “The Ford” (The Lantern Road) ends")
    assert "It is still your turn, as Aleksei" in message.body
    assert "https://rp.example/accounts/preferences/" in message.body
    state = turns.turn_state(cast.scene)
    cast.scene.refresh_from_db()
    assert cast.scene.turn_reminded_for == state.waiting_since
    assert not cast.scene.posts.exists()

    assert run() == []
    assert len(mail.outbox) == 1


def test_nobody_is_reminded_before_halfway(cast, run):
    stall(cast.scene, days=1.9)
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_the_next_turn_is_reminded_again(cast, run):
    stall(cast.scene, days=2.5)
    run()
    long_ago = timezone.now() - timedelta(days=3)
    make_post(cast.scene, character=cast.aleksei, created_at=long_ago)
    run()
    assert [message.to for message in mail.outbox] == [["mira@example.test"], ["teo@example.test"]]
    assert "as Lucia" in mail.outbox[1].body


def test_turn_is_skipped_at_the_deadline_by_the_site(cast, run):
    stall(cast.scene, days=DAYS + 0.1)
    outcomes = run()
    assert [(o.action, o.character) for o in outcomes] == [(deadlines.SKIP, cast.aleksei)]
    skip = cast.scene.posts.get()
    assert (skip.kind, skip.status, skip.character) == (
        Post.Kind.SKIP,
        Post.Status.APPROVED,
        cast.aleksei,
    )
    assert skip.author.username == deadlines.SYSTEM_USERNAME
    assert not skip.author.is_active
    assert not skip.author.has_usable_password()
    assert turns.turn_state(cast.scene).next_up.character == cast.lucia


def test_the_next_writer_is_told_it_is_their_turn(cast, run):
    stall(cast.scene, days=DAYS + 1)
    run()
    assert [message.to for message in mail.outbox] == [["teo@example.test"]]
    message = mail.outbox[0]
    assert message.subject == "Your turn in “The Ford” (The Lantern Road)"
    assert "The turn deadline skipped Aleksei's turn in “The Ford”" in message.body
    assert "It is your turn, as Lucia." in message.body


def test_the_owner_is_told_when_their_character_is_next(cast, run):
    long_ago = timezone.now() - timedelta(days=DAYS + 1)
    make_post(cast.scene, character=cast.aleksei, created_at=long_ago)
    run()
    assert cast.scene.posts.last().character == cast.lucia
    assert [message.to for message in mail.outbox] == [["mira@example.test"]]
    assert "It is your turn, as Aleksei." in mail.outbox[0].body


def test_a_second_run_changes_nothing(cast, run):
    stall(cast.scene, days=DAYS + 1)
    run()
    after_first = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == after_first


def test_writer_who_turned_off_turn_emails_gets_no_reminder(cast, run):
    User.objects.filter(pk=cast.mira.pk).update(notify_on_turn=False)
    stall(cast.scene, days=3)
    assert len(run()) == 1
    assert mail.outbox == []
    assert run() == []


def test_scene_without_deadline_is_untouched(cast, run):
    Scene.objects.filter(pk=cast.scene.pk).update(turn_deadline_days=None)
    stall(cast.scene, days=30)
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_closed_scene_is_untouched(cast, run):
    cast.scene.set_open(False)
    stall(cast.scene, days=30)
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_free_scene_is_untouched(cast, run):
    Scene.objects.filter(pk=cast.scene.pk).update(turn_mode=Scene.TurnMode.FREE)
    stall(cast.scene, days=30)
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_narrator_led_scene_waiting_for_narration_is_untouched(cast, run):
    Scene.objects.filter(pk=cast.scene.pk).update(turn_mode=Scene.TurnMode.NARRATOR_LED)
    stall(cast.scene, days=30)
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


@pytest.fixture
def meanwhile(monkeypatch):
    """Do ``change`` after the run has read the scenes and before it locks one: what a
    writer, the owner or another run may do at that moment."""

    def between_read_and_lock(change):
        real = deadlines.run_in_transaction

        def change_first(*args, **kwargs):
            change()
            return real(*args, **kwargs)

        monkeypatch.setattr(deadlines, "run_in_transaction", change_first)

    return between_read_and_lock


def test_scene_closed_meanwhile_is_untouched(cast, run, meanwhile):
    stall(cast.scene, days=DAYS + 1)
    meanwhile(lambda: cast.scene.set_open(False))
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_deadline_switched_off_meanwhile_is_untouched(cast, run, meanwhile):
    stall(cast.scene, days=DAYS + 1)
    meanwhile(lambda: Scene.objects.filter(pk=cast.scene.pk).update(turn_deadline_days=None))
    before = snapshot(cast.scene)
    assert run() == []
    assert snapshot(cast.scene) == before


def test_writer_who_posts_meanwhile_keeps_the_turn_they_took(cast, run, meanwhile):
    stall(cast.scene, days=DAYS + 1)
    meanwhile(lambda: posting.submit_post(cast.scene, cast.mira, "ic", cast.aleksei, "At last."))
    assert run() == []
    assert list(cast.scene.posts.values_list("kind", flat=True)) == [Post.Kind.IN_CHARACTER]


def test_dry_run_says_what_is_due_and_changes_nothing(cast, run):
    stall(cast.scene, days=DAYS + 1)
    before = snapshot(cast.scene)
    outcomes = run(dry_run=True)
    assert [(o.action, o.character) for o in outcomes] == [(deadlines.SKIP, cast.aleksei)]
    assert snapshot(cast.scene) == before


def test_command_prints_what_it_did(cast):
    stall(cast.scene, days=DAYS + 1)
    out = StringIO()
    call_command("run_turn_deadlines", "--dry-run", stdout=out)
    assert "Would do: Skipped Aleksei's turn (mira) in “The Ford” (The Lantern Road)." in (
        out.getvalue()
    )
    assert not cast.scene.posts.exists()
    out = StringIO()
    call_command("run_turn_deadlines", stdout=out)
    assert "Skipped Aleksei's turn (mira)" in out.getvalue()
    out = StringIO()
    call_command("run_turn_deadlines", stdout=out)
    assert out.getvalue() == "No turn deadline is due.\n"


def test_a_writer_holding_the_system_name_is_never_posted_as(cast):
    User.objects.create_user(deadlines.SYSTEM_USERNAME, password="a real password")
    stall(cast.scene, days=DAYS + 1)
    with pytest.raises(deadlines.DeadlineError, match="belongs to a writer"):
        deadlines.run()
    assert not cast.scene.posts.exists()


# --- Where writers see the deadline ------------------------------------------------------


def deadline_shown(response):
    html = response.content.decode()
    return "Turn ends in" in html and 'class="turn-deadline"' in html


def test_scene_page_shows_the_deadline_to_the_writer_who_is_up(cast, client):
    stall(cast.scene, days=1.99)  # so the page says "2 days", not "1 day, 23 hours"
    deadline = turns.turn_state(cast.scene).waiting_since + timedelta(days=DAYS)
    client.force_login(cast.mira)
    html = client.get(cast.scene.get_absolute_url()).content.decode()
    assert "Turn ends in 2\xa0days" in html
    assert f'<time datetime="{timezone.localtime(deadline):%Y-%m-%dT%H:%M:%S}' in html
    assert "post by then, or your turn is skipped" in html


def test_scene_page_shows_the_deadline_to_the_owner_but_not_other_writers(cast, client):
    make_post(cast.scene, character=cast.aleksei)
    client.force_login(cast.mira)
    assert deadline_shown(client.get(cast.scene.get_absolute_url()))
    client.force_login(cast.teo)
    assert deadline_shown(client.get(cast.scene.get_absolute_url()))
    make_post(cast.scene, character=cast.lucia)
    assert not deadline_shown(client.get(cast.scene.get_absolute_url()))


def test_scene_page_shows_no_deadline_where_there_is_none(cast, client):
    Scene.objects.filter(pk=cast.scene.pk).update(turn_deadline_days=None)
    client.force_login(cast.mira)
    assert not deadline_shown(client.get(cast.scene.get_absolute_url()))


def test_dashboard_shows_the_deadline_to_the_writer_up_and_the_owner(cast, client):
    make_post(cast.scene, character=cast.aleksei)
    client.force_login(cast.teo)
    response = client.get(reverse("dashboard"))
    assert deadline_shown(response)
    assert "post by then, or your turn is skipped" in response.content.decode()
    client.force_login(cast.mira)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Turn deadlines in your stories" in html
    assert "Lucia's turn, written by Teo." in re.sub(r"<[^>]+>", "", html)
    assert "Turn ends in" in html


def test_owner_who_is_up_sees_the_deadline_once_on_the_dashboard(cast, client):
    client.force_login(cast.mira)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count("Turn ends in") == 1
    assert "Turn deadlines in your stories" not in html


def test_demo_archive_has_a_scene_with_a_deadline_running_for_its_writer(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    scene = Scene.objects.get(turn_deadline_days__isnull=False)
    state = turns.turn_state(scene)
    assert state.next_up.character.owner.username == "ines"
    assert deadlines.turn_deadline(state) > timezone.now() + timedelta(days=6)
    assert deadlines.run(dry_run=True) == []
