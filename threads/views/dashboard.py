"""The writer's dashboard: where it is their turn, their invitations, and what happened lately
in their stories. A fixed number of queries however many stories and scenes they write in."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from threads.lib.excerpts import excerpt
from threads.models import Membership, Post, Scene
from threads.writing import deadlines, turns
from threads.writing.waiting import scenes_waiting_for

# The activity list groups the latest posts by others, at most this many, by scene.
RECENT_POSTS = 30
EXCERPT_CHARS = 220


@login_required
def dashboard(request):
    memberships = {m.story_id: m for m in Membership.objects.active().filter(user=request.user)}
    your_turn = _your_turn(request.user, memberships)
    context = {
        "your_turn": your_turn,
        # The navigation's count (threads.views.context), from what this page already knows.
        "turns_waiting": len(your_turn),
        "deadlines": _deadlines_you_run(request.user, memberships),
        "invitations": Membership.objects.pending_invitations(request.user),
        "activity": _recent_activity(request.user, memberships),
    }
    return render(request, "threads/dashboard.html", context)


def _your_turn(user, memberships):
    """The turn states of every open scene where this writer is up, oldest waiting first."""
    return scenes_waiting_for(user, memberships)


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


@dataclass(frozen=True)
class SceneActivity:
    """What others posted lately in one scene, newest first, and a glimpse of the newest
    post of the story itself."""

    scene: Scene
    posts: tuple[Post, ...]
    excerpt_of: Post | None
    excerpt: str

    @property
    def latest(self) -> Post:
        return self.posts[0]


def _recent_activity(user, memberships):
    """Others' latest posts in this writer's stories, grouped by scene, the scene with the
    newest post first. The writer's own posts are left out: they know what they wrote. One
    query."""
    posts = (
        Post.objects.filter(scene__chapter__story_id__in=memberships.keys())
        .visible_to(user, is_member=True)
        .exclude(author=user)
        .select_related("author", "character", "scene__chapter__story")
        .order_by("-created_at")[:RECENT_POSTS]
    )
    by_scene = {}
    for post in posts:
        by_scene.setdefault(post.scene_id, []).append(post)
    return [_scene_activity(scene_posts) for scene_posts in by_scene.values()]


def _scene_activity(posts):
    # The glimpse is of the story (in character or narration) when there is some; an OOC
    # note only when the scene has nothing else new.
    with_text = [post for post in posts if post.body_html]
    story = [post for post in with_text if post.kind != Post.Kind.OUT_OF_CHARACTER]
    shown = (story or with_text or [None])[0]
    return SceneActivity(
        scene=posts[0].scene,
        posts=tuple(posts),
        excerpt_of=shown,
        excerpt=excerpt(shown.body_html, EXCERPT_CHARS) if shown else "",
    )
