"""Who may see or do what: the one place the view modules ask.

Reading: ``readable_story`` is a story as a reader may reach it (a registered-only story
asks an anonymous reader to log in, through ``asks_login_for_registered_stories``);
``needs_adult_consent`` and ``adult_interstitial`` are the Mature/Explicit notice;
``readable_scene`` is a scene as a reader or member may reach it.

Stories on the writer's side: one helper per level of access: any active member
(``member_story``), owners and narrators (``managed_story``), and the owner alone
(``owned_story``). People with no part in the story get a 404 from all three, so a draft
cannot be told from a story that does not exist; members without the right get a 403.

Posts: ``visible_post`` is a post as its reader sees it where it stands; ``member_post``,
``authored_post`` and ``reportable_post`` add the rule of each action,
and ``post_actions`` works out, for a whole page at once, which of those actions to offer
on each post (the same rules, from threads.models.Post, so no link leads to a refusal).

Characters: ``owned_character`` for changing one.

Suspension: ``not_suspended`` guards every view that writes on the writer's side (stories,
members, chapters, scenes, characters, the profile), so a suspended account reads but
changes nothing; ``refuse_suspended`` is the same check for a view that also reads.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from threads.models import Character, Membership, Post, Story
from threads.writing import turns

ADULT_OK_SESSION_KEY = "adult_content_ok"

# --- Suspended writers ------------------------------------------------------------------


def refuse_suspended(request):
    """A 403 that says why (templates/403.html shows the message) if the user is suspended."""
    user = request.user
    if user.is_authenticated and user.is_suspended:
        raise PermissionDenied(suspension_notice(user))


def suspension_notice(user):
    notice = (
        "Your account is suspended, so you cannot start or change stories, chapters, scenes, "
        "characters or your profile, nor invite writers. You can still read."
    )
    reason = user.suspension_reason.strip()
    return f"{notice} The moderators gave this reason: {reason}" if reason else notice


def not_suspended(view):
    """For views that write: a suspended user gets a 403 on every method, so they are never
    offered a form they could not send. One suspended while a form was open gets the text
    they sent back on that page, to copy: nothing they wrote is lost."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_suspended:
            return render(
                request,
                "threads/suspended.html",
                {"notice": suspension_notice(user), "kept": _sent_text(request)},
                status=403,
            )
        return view(request, *args, **kwargs)

    return guarded


def _sent_text(request):
    """The text fields of a refused POST, as (name, value) pairs, for the writer to copy."""
    if request.method != "POST":
        return []
    return [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.POST.items()
        if name != "csrfmiddlewaretoken" and value.strip()
    ]


# --- Reading ----------------------------------------------------------------------------


class LoginToRead(Exception):
    """The story is for registered readers, and this reader is not signed in."""


def asks_login_for_registered_stories(view):
    """Send an anonymous reader of a registered-only story to log in, then back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginToRead:
            return redirect_to_login(request.get_full_path())

    return wrapper


def readable_story(request, slug):
    """The story, if this user may read it. A registered-only story asks an anonymous
    reader to log in; anything else unreadable is a 404, so strangers cannot tell a draft
    from a story that does not exist."""
    story = Story.objects.readable_by(request.user).filter(slug=slug).first()
    if story is not None:
        return story
    registered_only = Story.objects.filter(slug=slug, visibility=Story.Visibility.REGISTERED)
    if not request.user.is_authenticated and registered_only.exists():
        raise LoginToRead
    raise Http404("No such story.")


def needs_adult_consent(request, story):
    return (
        story.is_adult
        and not request.user.is_authenticated
        and not request.session.get(ADULT_OK_SESSION_KEY)
    )


def remember_adult_consent(request):
    """One click through the notice holds for the rest of the session."""
    request.session[ADULT_OK_SESSION_KEY] = True


def adult_interstitial(request, story):
    return render(
        request, "threads/adult_interstitial.html", {"story": story, "next": request.path}
    )


def readable_scene(request, slug, number, position):
    """The scene and the user's active membership (or None), if they may read it; a 404
    otherwise, so strangers cannot tell a draft from a scene that does not exist. The
    story is looked up as the reading pages do (``readable_story``); unpublished chapters
    only for members."""
    story = readable_story(request, slug)
    membership = story.membership_of(request.user)
    chapters = story.chapters.all() if membership else story.chapters.published()
    chapter = get_object_or_404(chapters, number=number)
    scene = get_object_or_404(chapter.scenes, position=position)
    chapter.story, scene.chapter = story, chapter
    return scene, membership


def writable_scene(request, slug, number, position):
    """For posting and skipping: a readable scene, and only the story's active members."""
    scene, membership = readable_scene(request, slug, number, position)
    if membership is None:
        raise PermissionDenied("Only the story's writers can write in this scene.")
    return scene, membership


# --- Stories ----------------------------------------------------------------------------


def member_story(request, slug):
    """The story and the user's active membership in it; a 404 for anyone else."""
    membership = (
        Membership.objects.active()
        .select_related("story")
        .filter(story__slug=slug, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404("No such story among yours.")
    return membership.story, membership


def managed_story(request, slug):
    """For adding and arranging chapters and scenes: owners and narrators."""
    story, membership = member_story(request, slug)
    if not membership.can_manage:
        raise PermissionDenied("Only the story's owner and narrators can do this.")
    return story, membership


def owned_story(request, slug):
    """For the story's settings and its members: the owner alone."""
    story, membership = member_story(request, slug)
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied("Only the story's owner can do this.")
    return story, membership


# --- Posts ------------------------------------------------------------------------------


def visible_post(request, pk):
    """The post and the user's active membership in its story (or None), if the user can
    see the post where it stands. A 404 otherwise, for a draft story, an unpublished chapter
    or a post this reader may not see alike, so a post's number gives nothing away."""
    posts = Post.objects.select_related("scene__chapter__story", "author", "character")
    post = get_object_or_404(posts, pk=pk)
    chapter = post.scene.chapter
    if not Story.objects.readable_by(request.user).filter(pk=chapter.story_id).exists():
        raise Http404("No such post.")
    membership = chapter.story.membership_of(request.user)
    if not (chapter.is_published or membership):
        raise Http404("No such post.")
    visible = Post.objects.visible_to(request.user, is_member=membership is not None)
    if not visible.filter(pk=post.pk).exists():
        raise Http404("No such post.")
    return post, membership


def member_post(request, pk):
    """A post the user can see, in a story where they are an active member."""
    post, membership = visible_post(request, pk)
    if membership is None:
        raise PermissionDenied("Only the story's writers can do this.")
    return post, membership


def authored_post(request, pk):
    """For editing and withdrawing: the user's own post, in a story where they are an active
    member. What may be done to it then is writing.posting's to decide, with a message."""
    post, membership = member_post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Only the writer of this post can do this.")
    return post, membership


def reportable_post(request, pk):
    """For reporting: the post, if this reader can see it where it stands; a 404 otherwise,
    so a report link cannot be used to find out about drafts or pending posts. A skip has no
    text to report; a writer takes down their own post by withdrawing it."""
    post, _ = visible_post(request, pk)
    if post.is_skip:
        raise Http404
    if post.author_id == request.user.pk:
        raise PermissionDenied(
            "You cannot report your own post. To change it, edit it; to take it down, withdraw it."
        )
    return post


@dataclass(frozen=True)
class PostActions:
    """The ids of a page's posts on which its reader is offered each action."""

    edit: frozenset = field(default_factory=frozenset)
    history: frozenset = field(default_factory=frozenset)
    withdraw: frozenset = field(default_factory=frozenset)
    report: frozenset = field(default_factory=frozenset)


def post_actions(posts, user, membership, withdraw=()):
    """What ``user`` may do with each of ``posts`` (already loaded: no queries), for a page
    to offer exactly the actions its views accept. ``membership`` is the user's active
    membership in the posts' story, or None; ``withdraw`` the ids ``withdrawable_ids``
    found, on a page that shows the whole scene."""
    return PostActions(
        edit=frozenset(p.pk for p in posts if p.editable_by(user, membership)),
        history=frozenset(p.pk for p in posts if p.history_visible_to(membership)),
        withdraw=frozenset(withdraw),
        report=frozenset(p.pk for p in posts if p.reportable_by(user)),
    )


def withdrawable_ids(posts, user, membership):
    """The user's posts that may be withdrawn: live, with nothing but OOC notes after them
    (writing.posting.withdrawable, worked out from the posts without more queries), and
    only while the user is an active member (``authored_post``). ``posts`` must be the
    whole scene as a member sees it, in order."""
    ids = []
    if membership is None:
        return ids
    for post in reversed(posts):
        if post.status not in turns.LIVE_STATUSES:
            continue
        if post.author_id == user.pk:
            ids.append(post.pk)
        if not post.is_ooc:
            break
    return ids


# --- Characters -------------------------------------------------------------------------


def owned_character(request, slug):
    """The character, if the user owns it. Character pages are public, so a stranger learns
    nothing from a 403 that the page does not already show."""
    character = get_object_or_404(Character, slug=slug)
    if character.owner_id != request.user.pk:
        raise PermissionDenied("Only the writer of this character can change it.")
    return character
