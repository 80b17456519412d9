"""Whose turn it is in a scene, and who may post what there (the design's "Turn-taking").

- **Free**: any participant posts in character at any time; nobody is ever "up".
- **Round robin**: participants post in their posting order. The latest *live* turn-taking
  post (an in-character post awaiting approval or approved, or a skip) says who went last,
  and the next participant is up. Rejected and withdrawn posts are not live, so they give
  the turn back. OOC and narration never take a turn.
- **Narrator-led**: narrators (members with the narrator role, and the owner) post narration
  whenever they like. After each narration the players post once each, in order, the order
  carrying on from whoever went last; once every player has posted, the narrator is up again.
  A scene with no narration yet waits for the narrator to open it.

A closed scene takes no posts at all, and nobody is up in it.

The state of many scenes is computed in a fixed number of queries (``turn_states``), so the
dashboard costs the same with three scenes or three hundred.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from threads.models import Character, Membership, Participant, Post, Scene, User

LIVE_STATUSES = (Post.Status.PENDING, Post.Status.APPROVED)
TURN_KINDS = (Post.Kind.IN_CHARACTER, Post.Kind.SKIP)
NARRATOR_ROLES = (Membership.Role.OWNER, Membership.Role.NARRATOR)


@dataclass(frozen=True)
class TurnState:
    """A scene's turn, as of the moment it was read."""

    scene: Scene
    participants: tuple[Participant, ...]
    # The character of the latest live in-character post or skip, if any.
    last_character_id: int | None
    # Narrator-led scenes: the characters that took a turn since the latest narration, or
    # None when the scene has no narration yet.
    since_narration: frozenset[int] | None
    # When the current turn began: the latest post that moved it, else the scene's creation.
    waiting_since: datetime

    @property
    def is_free(self) -> bool:
        return self.scene.turn_mode == Scene.TurnMode.FREE

    @property
    def is_narrator_led(self) -> bool:
        return self.scene.turn_mode == Scene.TurnMode.NARRATOR_LED

    @property
    def next_up(self) -> Participant | None:
        """The participant whose turn it is, or None (free scene, closed scene, nobody taking
        part, or the narrator is up)."""
        if not self.scene.is_open or self.is_free or not self.participants:
            return None
        if self.is_narrator_led:
            return self._next_player_since_narration()
        return self.participants[self._successor_index()]

    def takes_turn(self, kind: str) -> bool:
        """Whether a live post of ``kind`` changes whose turn it is in this scene."""
        if self.is_free:
            return False
        return kind in TURN_KINDS or (kind == Post.Kind.NARRATION and self.is_narrator_led)

    @property
    def narrator_up(self) -> bool:
        """Whether a narrator-led scene waits for narration before any player may post."""
        return self.scene.is_open and self.is_narrator_led and self.next_up is None

    def _successor_index(self) -> int:
        ids = [p.character_id for p in self.participants]
        if self.last_character_id not in ids:
            # Nobody has posted yet, or whoever went last has left the scene: start over.
            return 0
        return (ids.index(self.last_character_id) + 1) % len(ids)

    def _next_player_since_narration(self) -> Participant | None:
        if self.since_narration is None:
            return None
        start = self._successor_index()
        count = len(self.participants)
        for offset in range(count):
            participant = self.participants[(start + offset) % count]
            if participant.character_id not in self.since_narration:
                return participant
        return None


def is_answered(post: Post) -> bool:
    """Whether a live post other than an OOC note came after ``post`` in its scene: then
    bringing ``post`` back to life would change whose turn it was after others took theirs."""
    later = Post.objects.filter(
        scene_id=post.scene_id, number__gt=post.number, status__in=LIVE_STATUSES
    )
    return later.exclude(kind=Post.Kind.OUT_OF_CHARACTER).exists()


def is_replaced(post: Post, state: "TurnState") -> bool:
    """Whether, after ``post`` left the sequence (rejected or hidden), its own turn was taken
    again: the next live post that takes a turn is its character's (or, for narration,
    another narration). Then putting it back in place would give that turn twice. When
    others answered it instead, it can come back where it stands."""
    later = (
        Post.objects.filter(
            scene_id=post.scene_id, number__gt=post.number, status__in=LIVE_STATUSES
        )
        .exclude(kind=Post.Kind.OUT_OF_CHARACTER)
        .order_by("number")
    )
    for kind, character_id in later.values_list("kind", "character_id"):
        if not state.takes_turn(kind):
            continue
        if post.kind == Post.Kind.NARRATION:
            return kind == Post.Kind.NARRATION
        return kind in TURN_KINDS and character_id == post.character_id
    return False


def in_place_refusal(
    state: "TurnState", user: User, membership: Membership | None, post: Post
) -> str | None:
    """Why ``user`` may not bring back their answered ``post`` at its own number, or None.
    The scene must be open and they still its writer; the character still able to post;
    and nobody, themselves included, may have taken the post's turn again since."""
    general = _general_refusal(state, user, membership)
    if general:
        return general
    if post.character is not None and post.character.is_retired:
        return f"{post.character.name} is retired and cannot post."
    if is_replaced(post, state):
        return (
            "The scene has moved on since this post was rejected, and its turn was taken "
            "again: post your text as a new post when it is your turn."
        )
    return None


def annotate_turns(scenes: QuerySet[Scene]) -> QuerySet[Scene]:
    """Add what ``turn_states`` needs to a queryset of scenes: the latest live turn post and
    narration of each (as subqueries, so no extra query per scene), and the participants in
    posting order with their characters' owners."""
    live = Post.objects.filter(scene=OuterRef("pk"), status__in=LIVE_STATUSES).order_by("-number")
    turn_posts = live.filter(kind__in=TURN_KINDS)
    narrations = live.filter(kind=Post.Kind.NARRATION)
    participants = Participant.objects.select_related("character__owner").order_by("position")
    return (
        scenes.select_related("chapter__story")
        .annotate(
            turn_last_character_id=Subquery(turn_posts.values("character_id")[:1]),
            turn_last_at=Subquery(turn_posts.values("created_at")[:1]),
            turn_narration_number=Subquery(narrations.values("number")[:1]),
            turn_narration_at=Subquery(narrations.values("created_at")[:1]),
        )
        .prefetch_related(Prefetch("participants", participants, to_attr="turn_participants"))
    )


def turn_states(scenes: Iterable[Scene]) -> dict[int, TurnState]:
    """The turn state of each scene (from ``annotate_turns``), by scene pk. One query for
    all narrator-led scenes together, none for the others."""
    scenes = list(scenes)
    since = _characters_since_narration(
        [s for s in scenes if s.turn_mode == Scene.TurnMode.NARRATOR_LED]
    )
    return {scene.pk: _state(scene, since) for scene in scenes}


def turn_state(scene: Scene) -> TurnState:
    """The turn state of one scene, read fresh from the database."""
    annotated = annotate_turns(Scene.objects.filter(pk=scene.pk)).get()
    return turn_states([annotated])[scene.pk]


def _characters_since_narration(scenes: list[Scene]) -> dict[int, set[int]]:
    if not scenes:
        return {}
    latest_narration = Post.objects.filter(
        scene=OuterRef("scene_id"), status__in=LIVE_STATUSES, kind=Post.Kind.NARRATION
    ).order_by("-number")
    rows = Post.objects.filter(
        scene__in=[s.pk for s in scenes],
        status__in=LIVE_STATUSES,
        kind__in=TURN_KINDS,
        number__gt=Subquery(latest_narration.values("number")[:1]),
    ).values_list("scene_id", "character_id")
    since = defaultdict(set)
    for scene_id, character_id in rows:
        since[scene_id].add(character_id)
    return since


def _state(scene: Scene, since: dict[int, set[int]]) -> TurnState:
    has_narration = scene.turn_narration_number is not None
    moments = [scene.turn_last_at]
    if scene.turn_mode == Scene.TurnMode.NARRATOR_LED:
        moments.append(scene.turn_narration_at)
    moments = [moment for moment in moments if moment is not None]
    return TurnState(
        scene=scene,
        participants=tuple(scene.turn_participants),
        last_character_id=scene.turn_last_character_id,
        since_narration=frozenset(since.get(scene.pk, ())) if has_narration else None,
        waiting_since=max(moments) if moments else scene.created_at,
    )


def is_up(state: TurnState, user: User, membership: Membership | None) -> bool:
    """Whether it is this writer's turn: their character is up, or they may narrate and the
    narrator is up."""
    if membership is None or not membership.is_active:
        return False
    if state.narrator_up:
        return membership.role in NARRATOR_ROLES
    up = state.next_up
    return up is not None and up.character.owner_id == user.pk


def writers_up(state: TurnState) -> list[User]:
    """The writers whose turn it is: the owner of the character up, or every narrator (and
    the owner) when a narrator-led scene waits for narration."""
    if state.narrator_up:
        managers = Membership.objects.active().filter(
            story_id=state.scene.chapter.story_id, role__in=NARRATOR_ROLES
        )
        return [membership.user for membership in managers.select_related("user")]
    up = state.next_up
    return [up.character.owner] if up is not None else []


def refusal(
    state: TurnState,
    user: User,
    membership: Membership | None,
    kind: str,
    character: Character | None = None,
) -> str | None:
    """Why ``user`` may not post a ``kind`` post (as ``character``) now, or None if they may.
    The reason is written for the writer."""
    general = _general_refusal(state, user, membership)
    if general:
        return general
    if kind == Post.Kind.OUT_OF_CHARACTER:
        return None
    if kind == Post.Kind.NARRATION:
        if membership.role not in NARRATOR_ROLES:
            return "Only the story's owner and narrators can post narration."
        return None
    if kind == Post.Kind.IN_CHARACTER:
        return _in_character_refusal(state, user, character)
    return "That kind of post cannot be written here."


def skip_refusal(state: TurnState, user: User, membership: Membership | None) -> str | None:
    """Why ``user`` may not skip the current turn, or None if they may."""
    general = _general_refusal(state, user, membership)
    if general:
        return general
    if membership.role not in NARRATOR_ROLES:
        return "Only the story's owner and narrators can skip a turn."
    if state.is_free:
        return "Free scenes have no turns to skip."
    if state.next_up is None:
        return "There is no player's turn to skip: the scene waits for narration."
    return None


def _general_refusal(state: TurnState, user: User, membership: Membership | None) -> str | None:
    if not state.scene.is_open:
        return "This scene is closed: it takes no new posts."
    if membership is None or not membership.is_active:
        return "Only the story's writers can post in this scene."
    if user.is_suspended:
        return suspension_message(user)
    return None


def suspension_message(user: User) -> str:
    reason = user.suspension_reason.strip()
    message = "Your account is suspended, so you cannot post or edit."
    return f"{message} The moderators gave this reason: {reason}" if reason else message


def _in_character_refusal(state: TurnState, user: User, character: Character | None) -> str | None:
    if character is None:
        return "Choose the character you are posting as."
    if character.owner_id != user.pk:
        return f"{character.name} is not your character: only their writer posts as them."
    if character.is_retired:
        return f"{character.name} is retired and cannot post."
    if character.pk not in {p.character_id for p in state.participants}:
        return f"{character.name} is not taking part in this scene."
    if state.is_free:
        return None
    if state.narrator_up:
        return "The narrator is up: players post again after the next narration."
    up = state.next_up
    if up.character_id == character.pk:
        return None
    if up.character.owner_id == user.pk:
        return f"It is {up.character.name}'s turn, not {character.name}'s."
    return f"It is {up.character.name}'s turn (written by {up.character.owner.name}), not yours."
