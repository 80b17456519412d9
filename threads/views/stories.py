"""Writing: stories, their members and invitations, and the page to manage a story.

Who may do what is decided by the story helpers in threads/views/access.py: any active
member, owners and narrators, or the owner alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from threads.emails import send_after_commit
from threads.forms.stories import InviteForm, MemberRoleForm, StoryForm
from threads.models import Membership, Participant, Scene, Story

from .access import member_story, owned_story, safe_next_url

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
        {"memberships": memberships, "invitations": pending_invitations(request.user)},
    )


def pending_invitations(user):
    """The user's open invitations, ready for templates/threads/accounts/_invitations.html."""
    return (
        Membership.objects.invited()
        .filter(user=user)
        .select_related("story", "invited_by")
        .order_by("-created_at")
    )


@login_required
def story_create(request):
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            story = form.save()
            Membership.objects.create(
                story=story,
                user=request.user,
                role=Membership.Role.OWNER,
                status=Membership.Status.ACTIVE,
                responded_at=timezone.now(),
            )
        messages.success(request, f"“{story.title}” is started. Add its first chapter below.")
        return redirect("story_manage", slug=story.slug)
    return render(request, "threads/manage/story_form.html", {"form": form, "story": None})


@login_required
def story_edit(request, slug):
    story, _ = owned_story(request, slug)
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The story's details are saved.")
        return redirect("story_manage", slug=story.slug)
    story.refresh_from_db(fields=["title"])  # the heading keeps the saved title on errors
    return render(request, "threads/manage/story_form.html", {"form": form, "story": story})


@require_POST
@login_required
def story_set_status(request, slug):
    """The one-click "mark complete" (or back in progress, or on hiatus)."""
    story, _ = owned_story(request, slug)
    status = request.POST.get("status")
    if status not in Story.Status.values:
        messages.error(request, "That is not a story status.")
    else:
        story.status = status
        story.save(update_fields=["status"])
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
    """The member list, with the invitation form and remove buttons: the owner's page."""
    story, _ = owned_story(request, slug)
    form = InviteForm(request.POST or None, story=story)
    if request.method == "POST" and form.is_valid():
        if _invite(story, form.invitee, form.cleaned_data["role"], request.user):
            messages.success(
                request, f"{form.invitee.username} is invited. They will join once they accept."
            )
            return redirect("story_members", slug=story.slug)
        form.add_error("username", "Someone else invited this writer a moment ago.")
    memberships = (
        story.memberships.exclude(status=Membership.Status.DECLINED)
        .select_related("user", "invited_by")
        .order_by("status", "created_at")
    )
    return render(
        request,
        "threads/manage/story_members.html",
        {"story": story, "form": form, "memberships": memberships},
    )


def _invite(story, invitee, role, inviter):
    """Invite ``invitee``, reusing their old membership row if they once declined or were
    removed (one row per writer and story). Returns False if a concurrent invite won."""
    reopen = {"role": role, "status": Membership.Status.INVITED, "invited_by": inviter}
    reopen |= {"created_at": timezone.now(), "responded_at": None}
    try:
        with transaction.atomic():
            updated = (
                story.memberships.filter(user=invitee)
                .filter(status__in=[Membership.Status.DECLINED, Membership.Status.REMOVED])
                .update(**reopen)
            )
            if not updated:
                Membership.objects.create(story=story, user=invitee, **reopen)
    except IntegrityError:
        return False
    membership = story.memberships.get(user=invitee)
    if invitee.notify_on_invitation:
        send_after_commit(invitee, "invitation", {"membership": membership, "story": story})
    return True


def _other_membership(story, pk):
    """A membership of this story other than the owner's: the owner cannot be removed."""
    return get_object_or_404(
        story.memberships.exclude(role=Membership.Role.OWNER).select_related("user"), pk=pk
    )


@require_POST
@login_required
def member_remove(request, slug, pk):
    """Remove a member or withdraw an invitation. Their posts stay, credited to them; their
    characters leave the scenes still open, so no round robin waits on them."""
    story, _ = owned_story(request, slug)
    membership = _other_membership(story, pk)
    if membership.status not in (Membership.Status.ACTIVE, Membership.Status.INVITED):
        messages.info(request, f"{membership.user.username} is no longer a member.")
        return redirect("story_members", slug=story.slug)
    with transaction.atomic():
        membership.status = Membership.Status.REMOVED
        membership.responded_at = timezone.now()
        membership.save(update_fields=["status", "responded_at"])
        Participant.objects.filter(
            scene__chapter__story=story, scene__is_open=True, character__owner=membership.user
        ).delete()
    messages.success(request, f"{membership.user.username} is no longer a member of this story.")
    return redirect("story_members", slug=story.slug)


@require_POST
@login_required
def member_role(request, slug, pk):
    """Make a member a narrator or a co-writer. Both are roles they agreed to join in."""
    story, _ = owned_story(request, slug)
    membership = _other_membership(story, pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        membership.role = form.cleaned_data["role"]
        membership.save(update_fields=["role"])
        messages.success(
            request, f"{membership.user.username} is now {membership.get_role_display().lower()}."
        )
    else:
        messages.error(request, "Choose co-writer or narrator.")
    return redirect("story_members", slug=story.slug)


def _answer_invitation(request, pk, status):
    """Accept or decline: only the invitee (anyone else gets a 404), and only while the
    invitation is open. The update is conditional, so an invitation withdrawn a moment ago
    cannot be accepted."""
    invitation = get_object_or_404(
        Membership.objects.select_related("story"), pk=pk, user=request.user
    )
    story = invitation.story
    still_open = Membership.objects.filter(pk=invitation.pk, status=Membership.Status.INVITED)
    if not still_open.update(status=status, responded_at=timezone.now()):
        invitation.refresh_from_db(fields=["status"])
        return _already_answered(request, invitation)
    if status == Membership.Status.ACTIVE:
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
def invitation_accept(request, pk):
    return _answer_invitation(request, pk, Membership.Status.ACTIVE)


@require_POST
@login_required
def invitation_decline(request, pk):
    return _answer_invitation(request, pk, Membership.Status.DECLINED)
