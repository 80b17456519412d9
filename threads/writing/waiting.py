"""Where a writer is up: the scenes waiting for them, for the dashboard, the navigation's
count and the greeting after logging in. Built on ``turns.turn_states``, so it costs the
same fixed number of queries however many stories and scenes the writer is in."""

from threads.models import Membership, Scene, User
from threads.writing import turns


def scenes_waiting_for(
    user: User, memberships: dict[int, Membership] | None = None
) -> list[turns.TurnState]:
    """The turn states of every open scene where ``user`` is up, oldest waiting first.
    ``memberships``: the writer's active memberships by story id, when the caller has them."""
    if memberships is None:
        memberships = {m.story_id: m for m in Membership.objects.active().filter(user=user)}
    if not memberships:
        return []
    scenes = (
        Scene.objects.filter(chapter__story_id__in=memberships.keys(), is_open=True)
        .exclude(turn_mode=Scene.TurnMode.FREE)
        .order_by()
    )
    states = turns.turn_states(turns.annotate_turns(scenes))
    up = [
        state
        for state in states.values()
        if turns.is_up(state, user, memberships[state.scene.chapter.story_id])
    ]
    return sorted(up, key=lambda state: state.waiting_since)
