"""Real concurrent submissions against the real database: two threads, each with its own
connection, released together by a barrier. Exactly one wins a turn; the other gets a clear
message and, through the web form, their text back. Runs on SQLite and on PostgreSQL
(DATABASE_URL=postgres://...)."""

import time
from unittest import mock

import pytest
from django.test import Client

from tests.concurrency import race
from tests.factories import make_post
from threads import posting, turns
from threads.models import Post

# Hold the scene lock a little while after reading the turn, so the two submissions truly
# overlap: without the lock, both would read the same turn and both would post.
HOLD_SECONDS = 0.2


@pytest.fixture
def slow_turns(monkeypatch):
    read_turn = turns.turn_state

    def slowly(scene):
        state = read_turn(scene)
        time.sleep(HOLD_SECONDS)
        return state

    monkeypatch.setattr(turns, "turn_state", slowly)


@pytest.fixture
def scene_setup(cast):
    """Mira's Aleksei has posted; it is Teo's Lucia's turn. Teo is trusted."""
    cast.teo.is_trusted = True
    cast.teo.save()
    make_post(cast.scene, character=cast.aleksei)
    return cast


def split(results):
    wins = [r for r in results if isinstance(r, Post)]
    losses = [r for r in results if isinstance(r, Exception)]
    return wins, losses


@pytest.mark.django_db(transaction=True)
def test_writer_and_owner_racing_for_one_turn_exactly_one_wins(scene_setup, slow_turns):
    s = scene_setup
    results = race(
        lambda: posting.submit_post(s.scene, s.teo, "ic", s.lucia, "Lucia answers."),
        lambda: posting.skip_turn(s.scene, s.mira, s.lucia.pk),
    )
    wins, losses = split(results)
    assert len(wins) == 1, results
    assert len(losses) == 1 and isinstance(losses[0], posting.TurnError), results
    assert "turn" in str(losses[0])
    assert Post.objects.filter(scene=s.scene).count() == 2
    assert list(Post.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_same_turn_submitted_from_two_tabs_posts_once(scene_setup, slow_turns):
    s = scene_setup
    results = race(
        lambda: posting.submit_post(s.scene, s.teo, "ic", s.lucia, "From tab one."),
        lambda: posting.submit_post(s.scene, s.teo, "ic", s.lucia, "From tab two."),
    )
    wins, losses = split(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert str(losses[0]) == "It is Aleksei's turn (written by Mira), not yours."
    assert Post.objects.filter(kind="ic").count() == 2


@pytest.mark.django_db(transaction=True)
def test_notes_posted_at_the_same_moment_both_arrive_with_their_own_numbers(
    scene_setup, slow_turns
):
    s = scene_setup
    results = race(
        lambda: posting.submit_post(s.scene, s.teo, "ooc", None, "Brb, tea."),
        lambda: posting.submit_post(s.scene, s.mira, "ooc", None, "Same here."),
    )
    wins, losses = split(results)
    assert len(wins) == 2 and not losses, results
    assert sorted(post.number for post in wins) == [2, 3]


@pytest.mark.django_db(transaction=True)
def test_the_losing_writer_gets_the_form_back_with_their_text(scene_setup, slow_turns):
    s = scene_setup
    writer, owner = Client(), Client()
    writer.force_login(s.teo)
    owner.force_login(s.mira)
    scene = s.scene
    base = scene.get_absolute_url()
    body = "Lucia steps onto the ford, lantern high."
    results = race(
        lambda: writer.post(
            base + "post/", {"post_as": f"character-{s.lucia.pk}", "body": body, "seen": 1}
        ),
        lambda: owner.post(base + "skip/", {"character": s.lucia.pk}),
    )
    post_response, skip_response = results
    assert skip_response.status_code == 302, skip_response
    skipped = Post.objects.filter(kind="skip").exists()
    posted = Post.objects.filter(kind="ic", author=s.teo).exists()
    assert skipped != posted
    if posted:
        assert post_response.status_code == 302
    else:
        assert post_response.status_code == 409
        page = post_response.content.decode()
        assert "Someone posted while you were writing." in page
        assert body in page


@pytest.mark.django_db
def test_the_unique_number_is_the_last_defence_and_reads_as_a_clear_message(scene_setup):
    s = scene_setup
    # As if another post had taken the number between reading and writing it.
    same_number = mock.patch.object(posting, "_next_number", return_value=1)
    with same_number, pytest.raises(posting.TurnError) as refused:
        posting.submit_post(s.scene, s.teo, "ic", s.lucia, "Lucia answers.")
    assert str(refused.value) == posting.RACE_MESSAGE
    assert Post.objects.filter(scene=s.scene).count() == 1
