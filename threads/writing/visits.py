"""How far each member has read a scene, for the scene page's "New since your last visit"
marker (Glowfic's "unread").

The scene page itself never writes: reading it is a GET, which must stay safe to repeat,
to prefetch and to cache. The page asks the browser to report what it showed (a small POST
from scene-visit.js), and posting counts as having read the scene up to one's own post.
A visit only ever moves forward, so opening an old page never marks newer posts unread.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from threads.models import Post, Scene, SceneVisit, User


def last_seen(user: User, scene: Scene) -> int | None:
    """The number of the last post ``user`` has seen in ``scene``, or None before their
    first visit (then nothing is marked new: everything would be)."""
    if not user.is_authenticated:
        return None
    visit = SceneVisit.objects.filter(user=user, scene=scene).only("last_seen_number").first()
    return visit.last_seen_number if visit else None


def mark_seen(user: User, scene: Scene, number: int) -> None:
    """Record that ``user`` has seen ``scene`` up to post ``number``, never beyond its last
    post (a forged number must not hide every future post) and never backwards."""
    newest = Post.objects.filter(scene=scene).aggregate(newest=Max("number"))["newest"] or 0
    number = max(0, min(number, newest))
    visits = SceneVisit.objects.filter(user=user, scene=scene)
    moved = visits.update(
        last_seen_number=Greatest(F("last_seen_number"), Value(number)), visited_at=timezone.now()
    )
    if moved:
        return
    try:
        with transaction.atomic():
            SceneVisit.objects.create(user=user, scene=scene, last_seen_number=number)
    except IntegrityError:
        # Another tab created the visit a moment ago: move that one forward instead.
        visits.update(last_seen_number=Greatest(F("last_seen_number"), Value(number)))
