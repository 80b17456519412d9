"""Real concurrent submissions against the real database: threads, each with its own
connection. Exactly one wins a turn; the other gets a clear message and, through the web form,
their text back. Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://...).

Who wins a true race is up to the database (on PostgreSQL the skip nearly always does), so the
race tests check whichever side lost; the tests in "Forced order" make one side commit first,
so the checks for each outcome run on every run."""

import html
import re
import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from tests.concurrency import TIMEOUT, Running, one_after_another, race
from tests.factories import make_post
from tests.html_forms import form_posting_to
from threads.models import Post
from threads.writing import posting, turns

# Hold the scene lock a little while after reading the turn, so the two submissions truly
# overlap: without the lock, both would read the same turn and both would post.
HOLD_SECONDS = 0.2

LUCIA_TEXT = "Lucia steps onto the ford, lantern high."
# What each loser is told once the other side has taken Lucia's turn.
POST_REFUSED = (
    "Someone posted while you were writing. "
    "It is Aleksei Varga's turn (written by Mira), not yours. "
    "Nothing was posted; your text is kept below."
)
SKIP_REFUSED = "The turn has moved on: it is now Aleksei Varga's turn. Nothing was skipped."


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


# --- The web forms, as each writer's browser sends them -----------------------------------


class Browser:
    """A writer's browser with the scene page open: it sends the forms that page offers,
    so its "seen" is the last post the writer saw before the other side acted."""

    def __init__(self, user, scene):
        self.client = Client()
        self.client.force_login(user)
        self.scene_url = scene.get_absolute_url()
        self.page = self.client.get(self.scene_url)

    def post(self, character, body):
        """The Post button, with ``body`` written as ``character``."""
        form = form_posting_to(self.page, self.scene_url + "post/")
        data = {**form["hidden"], "post_as": f"character-{character.pk}", "body": body}
        return lambda: self.client.post(form["action"], data)

    def skip(self):
        """The "Skip ...'s turn" button."""
        form = form_posting_to(self.page, self.scene_url + "skip/")
        return lambda: self.client.post(form["action"], form["hidden"])

    def messages_on_reload(self):
        return page_text(self.client.get(self.scene_url))


def page_text(response):
    return html.unescape(response.content.decode())


def text_in_form(response):
    """The text in the body field of the post form on a re-rendered scene page."""
    page = response.content.decode()
    field = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert field, "the page has no post form"
    return html.unescape(field.group(1)).strip()


def assert_post_won_and_skip_was_refused(s, post_response, skip_response, owner):
    assert post_response.status_code == 302, post_response
    assert Post.objects.get(kind="ic", author=s.teo).body == LUCIA_TEXT
    assert skip_response.status_code == 302, skip_response
    assert not Post.objects.filter(kind="skip").exists()
    assert SKIP_REFUSED in owner.messages_on_reload()


def assert_skip_won_and_post_was_refused(s, post_response, skip_response, owner):
    assert skip_response.status_code == 302, skip_response
    assert Post.objects.get(kind="skip").character == s.lucia
    assert "Lucia Ferro's turn was skipped." in owner.messages_on_reload()
    assert post_response.status_code == 409, post_response
    assert POST_REFUSED in page_text(post_response)
    assert text_in_form(post_response) == LUCIA_TEXT
    assert not Post.objects.filter(kind="ic", author=s.teo).exists()


# --- True races: whoever wins, the loser is refused cleanly --------------------------------


@pytest.mark.django_db(transaction=True)
def test_writer_and_owner_racing_for_one_turn_exactly_one_wins(scene_setup, slow_turns):
    s = scene_setup
    results = race(
        lambda: posting.submit_post(s.scene, s.teo, "ic", s.lucia, LUCIA_TEXT),
        lambda: posting.skip_turn(s.scene, s.mira, s.lucia.pk),
    )
    wins, losses = split(results)
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], posting.TurnError), results
    if wins[0].kind == Post.Kind.SKIP:
        assert str(losses[0]) == "It is Aleksei Varga's turn (written by Mira), not yours."
    else:
        assert str(losses[0]) == SKIP_REFUSED
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
    assert str(losses[0]) == "It is Aleksei Varga's turn (written by Mira), not yours."
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
def test_writer_and_owner_sending_at_once_the_loser_is_told_and_keeps_their_text(
    scene_setup, slow_turns
):
    s = scene_setup
    writer, owner = Browser(s.teo, s.scene), Browser(s.mira, s.scene)
    post_response, skip_response = race(writer.post(s.lucia, LUCIA_TEXT), owner.skip())
    posted = Post.objects.filter(kind="ic", author=s.teo).exists()
    skipped = Post.objects.filter(kind="skip").exists()
    assert posted != skipped, "exactly one of the two must win"
    if posted:
        assert_post_won_and_skip_was_refused(s, post_response, skip_response, owner)
    else:
        assert_skip_won_and_post_was_refused(s, post_response, skip_response, owner)


# --- Forced order: both outcomes checked on every run --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_post_sent_first_wins_and_the_skip_sent_after_it_is_refused(scene_setup):
    s = scene_setup
    writer, owner = Browser(s.teo, s.scene), Browser(s.mira, s.scene)
    post_response, skip_response = one_after_another(writer.post(s.lucia, LUCIA_TEXT), owner.skip())
    assert_post_won_and_skip_was_refused(s, post_response, skip_response, owner)


@pytest.mark.django_db(transaction=True)
def test_a_skip_sent_first_wins_and_the_writer_gets_their_text_back(scene_setup):
    s = scene_setup
    writer, owner = Browser(s.teo, s.scene), Browser(s.mira, s.scene)
    skip_response, post_response = one_after_another(owner.skip(), writer.post(s.lucia, LUCIA_TEXT))
    assert_skip_won_and_post_was_refused(s, post_response, skip_response, owner)


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_tabs_is_refused_and_keeps_its_own_text(scene_setup):
    s = scene_setup
    first_tab, second_tab = Browser(s.teo, s.scene), Browser(s.teo, s.scene)
    first, second = one_after_another(
        first_tab.post(s.lucia, "From tab one."), second_tab.post(s.lucia, "From tab two.")
    )
    assert first.status_code == 302, first
    assert second.status_code == 409, second
    assert POST_REFUSED in page_text(second)
    assert text_in_form(second) == "From tab two."
    assert list(Post.objects.filter(kind="ic", author=s.teo).values_list("body", flat=True)) == [
        "From tab one."
    ]


@pytest.fixture
def first_lock_is_held(monkeypatch):
    """The first submission to lock the scene keeps its lock until the test sets the
    returned ``release`` event; ``locked`` is set once it holds it."""
    locked, release = threading.Event(), threading.Event()
    lock_scene = posting._lock_scene

    def lock_and_hold(scene_id):
        scene = lock_scene(scene_id)
        if not locked.is_set():
            locked.set()
            release.wait(TIMEOUT)
        return scene

    monkeypatch.setattr(posting, "_lock_scene", lock_and_hold)
    yield locked, release
    release.set()  # never leave a thread holding the lock, even when the test failed


def wait_until_someone_waits_for_a_lock():
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the second submission never waited for the scene's lock")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to wait on; it retries"
)
@pytest.mark.django_db(transaction=True)
def test_a_post_sent_while_a_skip_holds_the_scene_waits_then_keeps_its_text(
    scene_setup, first_lock_is_held
):
    s = scene_setup
    locked, release = first_lock_is_held
    writer, owner = Browser(s.teo, s.scene), Browser(s.mira, s.scene)
    skipping = Running(owner.skip())
    assert locked.wait(TIMEOUT), "the skip never locked the scene"
    posting_ = Running(writer.post(s.lucia, LUCIA_TEXT))
    wait_until_someone_waits_for_a_lock()
    release.set()
    assert_skip_won_and_post_was_refused(s, posting_.result(), skipping.result(), owner)


# --- The last defence ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_unique_number_is_the_last_defence_and_reads_as_a_clear_message(scene_setup):
    s = scene_setup
    # As if another post had taken the number between reading and writing it.
    same_number = mock.patch.object(posting, "_next_number", return_value=1)
    with same_number, pytest.raises(posting.TurnError) as refused:
        posting.submit_post(s.scene, s.teo, "ic", s.lucia, "Lucia answers.")
    assert str(refused.value) == posting.RACE_MESSAGE
    assert Post.objects.filter(scene=s.scene).count() == 1
