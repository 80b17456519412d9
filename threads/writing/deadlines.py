"""Turn deadlines: a stalled turn is reminded halfway and skipped at its deadline.

A scene with ``turn_deadline_days`` set gives each player's turn that many days, counted from
``TurnState.waiting_since`` (the post that began the turn, or the scene's creation). Halfway,
the writer who is up gets one reminder e-mail; at the deadline the site skips the turn, and
posting's usual e-mail tells the next writer it is their turn. Only turns with a player up
have a deadline: free scenes, closed scenes and narrator-led scenes waiting for narration
have none. A deadline set on a turn that has already waited longer is due at once.

``run`` is what ``manage.py run_turn_deadlines`` calls, every few minutes from cron or a
systemd timer. Each scene is handled in its own transaction, its row locked and its turn read
again under the lock, so a writer posting at that moment either goes first (the turn moved
on: nothing to do) or waits for the skip; and a second run finds nothing left to do: the
reminder is recorded in ``Scene.turn_reminded_for``, and a skip starts a new turn.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from threads.lib.emails import send_after_commit
from threads.lib.locking import run_in_transaction
from threads.models import Character, Scene, User
from threads.writing import posting, turns

REMIND, SKIP = "remind", "skip"

SYSTEM_USERNAME = "turn-deadline"
SYSTEM_DISPLAY_NAME = "The turn deadline"


class DeadlineError(Exception):
    """A scene's deadline could not be handled now; ``str(error)`` says why."""


@dataclass(frozen=True)
class Outcome:
    """What a run did (or, in a dry run, would do) in one scene."""

    scene: Scene
    action: str  # REMIND or SKIP
    character: Character  # the character whose turn it was
    writer: User  # who writes them

    def __str__(self):
        where = f"“{self.scene.title}” ({self.scene.chapter.story.title})"
        if self.action == REMIND:
            return f"Reminded {self.writer.username} of {self.character.name}'s turn in {where}"
        return f"Skipped {self.character.name}'s turn ({self.writer.username}) in {where}"


def turn_deadline(state: turns.TurnState) -> datetime | None:
    """When the current player's turn is skipped, or None: no deadline, or nobody up."""
    days = state.scene.turn_deadline_days
    if not days or state.next_up is None:
        return None
    return state.waiting_since + timedelta(days=days)


def due(state: turns.TurnState, now: datetime) -> str | None:
    """What the deadline asks of this turn at ``now``: SKIP, REMIND or None. A turn already
    reminded (``turn_reminded_for`` is its start) is not reminded again."""
    deadline = turn_deadline(state)
    if deadline is None:
        return None
    if now >= deadline:
        return SKIP
    halfway = deadline - timedelta(days=state.scene.turn_deadline_days) / 2
    if now >= halfway and state.scene.turn_reminded_for != state.waiting_since:
        return REMIND
    return None


def run(now: datetime | None = None, dry_run: bool = False) -> list[Outcome]:
    """Remind and skip whatever is due at ``now`` (default: now) in every open scene with a
    deadline. With ``dry_run``, change nothing and send nothing: say what would be done."""
    now = now or timezone.now()
    scenes = Scene.objects.filter(is_open=True, turn_deadline_days__gt=0).exclude(
        turn_mode=Scene.TurnMode.FREE
    )
    outcomes = []
    for state in turns.turn_states(turns.annotate_turns(scenes.order_by("pk"))).values():
        if due(state, now) is None:
            continue
        if dry_run:
            outcome = _outcome(state, due(state, now))
        else:
            outcome = run_in_transaction(_handle, state.scene.pk, now, error=DeadlineError)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def system_user() -> User:
    """The account the site's skips are recorded under: "The turn deadline skipped Lucia's
    turn". Not the story owner: the record would say the owner skipped a turn they never
    touched, and posting's turn e-mail never goes to a post's author, so an owner whose
    character is next would not be told. The account is inactive with no usable password,
    so nobody can sign in as it, and writer pages do not show it."""
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "display_name": SYSTEM_DISPLAY_NAME,
            "is_active": False,
            "password": make_password(None),
        },
    )
    if user.has_usable_password():
        # Someone signed up with the name first: never post skips as a real writer.
        raise DeadlineError(
            f"The username {SYSTEM_USERNAME!r} belongs to a writer, so turns cannot be skipped "
            "in its name. Rename that account in the admin."
        )
    return user


def _handle(scene_id: int, now: datetime) -> Outcome | None:
    # Locked and read again: since the first read someone may have posted, closed the scene,
    # switched its deadline off, or another run may have got here first.
    scene = Scene.objects.select_for_update(of=("self",)).get(pk=scene_id)
    state = turns.turn_state(scene)
    action = due(state, now)
    if action == REMIND:
        _remind(state, now)
    elif action == SKIP:
        posting.skip_for_site(state, system_user())
    return _outcome(state, action) if action else None


def _outcome(state: turns.TurnState, action: str) -> Outcome:
    character = state.next_up.character
    return Outcome(state.scene, action, character, character.owner)


def _remind(state: turns.TurnState, now: datetime) -> None:
    # Recorded even when no e-mail goes out, so the preference is not asked again this turn.
    Scene.objects.filter(pk=state.scene.pk).update(turn_reminded_for=state.waiting_since)
    writer = state.next_up.character.owner
    if writer.notify_on_turn and writer.is_active and not writer.is_suspended:
        send_after_commit(writer, "turn_reminder", _reminder_context(state, now))


def _reminder_context(state: turns.TurnState, now: datetime) -> dict:
    scene = state.scene
    return {
        "scene": scene,
        "chapter": scene.chapter,
        "story": scene.chapter.story,
        "character_up": state.next_up.character,
        "deadline": turn_deadline(state),
        "now": now,
        "scene_url": settings.SITE_URL + scene.get_absolute_url(),
        "preferences_url": settings.SITE_URL + reverse("preferences"),
    }
