"""Who may reach which story or post from the writer's side, shared by the view modules.

Stories: one helper per level of access: any active member (``member_story``), owners and
narrators (``managed_story``), and the owner alone (``owned_story``). People with no part
in the story get a 404 from all three, so a draft cannot be told from a story that does not
exist; members without the right get a 403.

Posts: ``visible_post`` is a post as its reader sees it where it stands; the posting and
report views add their own rules on top.

Suspension: ``not_suspended`` guards every view that writes on the writer's side (stories,
members, chapters, scenes, characters, the profile), so a suspended account reads but
changes nothing; ``refuse_suspended`` is the same check for a view that also reads.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from threads.models import Membership, Post, Story

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


# --- Coming back ------------------------------------------------------------------------


def safe_next_url(request, default=None):
    """The ``next`` a form or link asked to return to (POST first, then the query string),
    if it is on this site; ``default`` otherwise, so no link can send a writer elsewhere."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def form_status(form):
    """The status of a form page: 400 when a sent form comes back with its errors (and the
    writer's text, filled in), 200 otherwise."""
    return 400 if form.errors else 200
