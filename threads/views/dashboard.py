"""The writer's dashboard: where it is their turn, their invitations, and what happened lately
in their stories. A fixed number of queries however many stories and scenes they write in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from threads.models import Membership, Post, Scene
from threads.writing import deadlines, turns

RECENT_POSTS = 20


@login_required
def dashboard(request):
    memberships = {m.story_id: m for m in Membership.objects.active().filter(user=request.user)}
    context = {
        "your_turn": _your_turn(request.user, memberships),
        "deadlines": _deadlines_you_run(request.user, memberships),
        "invitations": Membership.objects.pending_invitations(request.user),
        "activity": _recent_activity(request.user, memberships),
    }
    return render(request, "threads/dashboard.html", context)


def _your_turn(user, memberships):
    """The turn states of every open scene where this writer is up, oldest waiting first."""
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


def _deadlines_you_run(user, memberships):
    """Turns with a deadline, soonest first, in stories this writer runs (owner or narrator),
    where someone else is up: their own turns are listed as theirs."""
    managed = [story_id for story_id, membership in memberships.items() if membership.can_manage]
    scenes = (
        Scene.objects.filter(chapter__story_id__in=managed, is_open=True, turn_deadline_days__gt=0)
        .exclude(turn_mode=Scene.TurnMode.FREE)
        .order_by()
    )
    states = turns.turn_states(turns.annotate_turns(scenes)).values()
    running = [s for s in states if s.next_up and s.next_up.character.owner_id != user.pk]
    return sorted(running, key=deadlines.turn_deadline)


def _recent_activity(user, memberships):
    return list(
        Post.objects.filter(scene__chapter__story_id__in=memberships.keys())
        .visible_to(user, is_member=True)
        .select_related("author", "character", "scene__chapter__story")
        .order_by("-created_at")[:RECENT_POSTS]
    )
