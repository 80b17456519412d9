"""Writing: stories, their members and invitations, and the page to manage a story.

Who may do what is decided by the story helpers in threads/views/access.py: any active
member, owners and narrators, or the owner alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threads.discovery import indexing
from threads.forms.stories import InviteForm, MemberRoleForm, StoryForm
from threads.lib.http import form_status, safe_next_url
from threads.models import Membership, Participant, Scene, Story, generations
from threads.writing import membership as members
from threads.writing import structure

from .access import member_story, not_suspended, owned_story, refuse_suspended
from .confirmation import email_confirmed

# --- Stories --------------------------------------------------------------------------


@login_required
def my_stories(request):
    """A writer's desk: the stories they belong to (drafts too), and their invitations."""
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("story")
        .order_by("-story__updated_at")
    )
    return render(
        request,
        "threads/manage/my_stories.html",
        {
            "memberships": memberships,
            "invitations": Membership.objects.pending_invitations(request.user),
        },
    )


@login_required
@not_suspended
@email_confirmed
def story_create(request):
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        story = structure.create_story(request.user, **form.cleaned_data)
        messages.success(request, f"“{story.title}” is started. Add its first chapter below.")
        return redirect("story_manage", slug=story.slug)
    context = {"form": form, "story": None}
    return render(request, "threads/manage/story_form.html", context, status=form_status(form))


@login_required
@not_suspended
def story_edit(request, slug):
    story, _ = owned_story(request, slug)
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        with generations.changing(generations.bump_story, story.pk):  # row and tags at once
            form.save()
        indexing.index_story(story.pk)  # search follows its title, summary, language
        messages.success(request, "The story's details are saved.")
        return redirect("story_manage", slug=story.slug)
    story.refresh_from_db(fields=["title"])  # the heading keeps the saved title on errors
    context = {"form": form, "story": story}
    return render(request, "threads/manage/story_form.html", context, status=form_status(form))


@require_POST
@login_required
@not_suspended
def story_set_status(request, slug):
    """The one-click "mark complete" (or back in progress, or on hiatus)."""
    story, _ = owned_story(request, slug)
    try:
        story.set_status(request.POST.get("status"))
    except ValueError:
        messages.error(request, "That is not a story status.")
    else:
        messages.success(request, f"The story is now marked “{story.get_status_display()}”.")
    return redirect("story_manage", slug=story.slug)


@login_required
def story_manage(request, slug):
    """Every chapter and scene, published or not, with the controls the member may use."""
    story, membership = member_story(request, slug)
    participants = Participant.objects.select_related("character").order_by("position")
    scenes = Scene.objects.order_by("position").prefetch_related(
        Prefetch("participants", queryset=participants)
    )
    chapters = story.chapters.order_by("number").prefetch_related(
        Prefetch("scenes", queryset=scenes)
    )
    return render(
        request,
        "threads/manage/story_manage.html",
        {
            "story": story,
            "membership": membership,
            "chapters": chapters,
            "statuses": Story.Status.choices,
        },
    )


# --- Members and invitations ------------------------------------------------------------


@login_required
def story_members(request, slug):
    """The member list, with the invitation form and remove buttons: the owner's page. A
    suspended owner still sees the list, but cannot invite."""
    story, _ = owned_story(request, slug)
    if request.method == "POST":
        refuse_suspended(request)
    form = InviteForm(request.POST or None, story=story)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        if members.invite(story, form.invitee, form.cleaned_data["role"], request.user):
            messages.success(
                request, f"{form.invitee.username} is invited. They will join once they accept."
            )
            return redirect("story_members", slug=story.slug)
        form.add_error("username", "Someone else invited this writer a moment ago.")
        status = 409
    memberships = (
        story.memberships.exclude(status=Membership.Status.DECLINED)
        .select_related("user", "invited_by")
        .order_by("status", "created_at")
    )
    return render(
        request,
        "threads/manage/story_members.html",
        {"story": story, "form": form, "memberships": memberships},
        status=status,
    )


def _other_membership(story, pk):
    """A membership of this story other than the owner's: the owner cannot be removed."""
    return get_object_or_404(
        story.memberships.exclude(role=Membership.Role.OWNER).select_related("user"), pk=pk
    )


@require_POST
@login_required
@not_suspended
def member_remove(request, slug, pk):
    """Remove a member or withdraw an invitation (threads.writing.membership.remove says what
    follows)."""
    story, _ = owned_story(request, slug)
    membership = _other_membership(story, pk)
    if membership.status not in (Membership.Status.ACTIVE, Membership.Status.INVITED):
        messages.info(request, f"{membership.user.username} is no longer a member.")
        return redirect("story_members", slug=story.slug)
    members.remove(membership)
    messages.success(request, f"{membership.user.username} is no longer a member of this story.")
    return redirect("story_members", slug=story.slug)


@require_POST
@login_required
@not_suspended
def member_role(request, slug, pk):
    """Make a member a narrator or a co-writer. Both are roles they agreed to join in."""
    story, _ = owned_story(request, slug)
    membership = _other_membership(story, pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        membership.set_role(form.cleaned_data["role"])
        messages.success(
            request, f"{membership.user.username} is now {membership.get_role_display().lower()}."
        )
    else:
        messages.error(request, "Choose co-writer or narrator.")
    return redirect("story_members", slug=story.slug)


def _invitation(request, pk):
    """Only the invitee may answer an invitation; anyone else gets a 404."""
    return get_object_or_404(Membership.objects.select_related("story"), pk=pk, user=request.user)


def _answered(request, invitation, answered):
    """Where an answer leads: into the story, back to the desk, or, for an invitation no
    longer open (a second click, or withdrawn by the owner), a word on why."""
    story = invitation.story
    if not answered:
        return _already_answered(request, invitation)
    if invitation.status == Membership.Status.ACTIVE:
        messages.success(request, f"Welcome to “{story.title}”.")
        return redirect(safe_next_url(request, reverse("story_manage", args=[story.slug])))
    messages.info(request, f"You declined the invitation to “{story.title}”.")
    return redirect(safe_next_url(request, reverse("my_stories")))


def _already_answered(request, invitation):
    """A second click, or an invitation the owner withdrew: say so instead of failing."""
    story = invitation.story
    if invitation.status == Membership.Status.ACTIVE:
        messages.info(request, f"You are already a member of “{story.title}”.")
        return redirect("story_manage", slug=story.slug)
    messages.info(request, f"The invitation to “{story.title}” is no longer open.")
    return redirect("my_stories")


@require_POST
@login_required
@not_suspended
def invitation_accept(request, pk):
    invitation = _invitation(request, pk)
    return _answered(request, invitation, members.accept(invitation))


@require_POST
@login_required
def invitation_decline(request, pk):
    """Declining stays open to a suspended writer: it only takes them out of a story."""
    invitation = _invitation(request, pk)
    return _answered(request, invitation, members.decline(invitation))
