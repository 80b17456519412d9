"""Who writes in a story, and with which characters: invitations and their answers, removal,
and characters leaving the casts of open scenes when their writer or they themselves go.

Each function is one change that spans several rows, done in one transaction. The views in
threads/views/stories.py and threads/views/characters.py decide who may call them.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from threads.lib.emails import send_after_commit
from threads.models import Membership, Participant, Scene, generations


def invite(story, invitee, role, inviter):
    """Invite ``invitee`` and e-mail them (after commit, if they want such e-mails).

    Their old row is reused if they once declined or were removed: one row per writer and
    story. Returns the invitation, or None if a concurrent invitation won the race."""
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
        return None
    invitation = story.memberships.get(user=invitee)
    if invitee.notify_on_invitation:
        send_after_commit(invitee, "invitation", {"membership": invitation, "story": story})
    return invitation


def accept(invitation):
    """Join the story. False if the invitation is no longer open (answered or withdrawn)."""
    return _answer(invitation, Membership.Status.ACTIVE)


def decline(invitation):
    return _answer(invitation, Membership.Status.DECLINED)


def _answer(invitation, status):
    # Conditional, so an invitation withdrawn a moment ago cannot be accepted after all.
    still_open = Membership.objects.filter(pk=invitation.pk, status=Membership.Status.INVITED)
    now = timezone.now()
    if not still_open.update(status=status, responded_at=now):
        invitation.refresh_from_db(fields=["status", "responded_at"])
        return False
    generations.bump_story(invitation.story_id)  # a new writer is credited on the story
    invitation.status, invitation.responded_at = status, now
    return True


def remove(membership):
    """End a membership or withdraw an invitation. The writer's posts stay, credited to
    them; their characters leave the story's open scenes, so no round robin waits on them."""
    with transaction.atomic():
        membership.mark_removed()
        generations.bump_story(membership.story_id)
        leave_open_scenes(
            Participant.objects.filter(
                scene__chapter__story=membership.story_id, character__owner=membership.user_id
            )
        )


def retire_character(character):
    """Retire a character everywhere: it joins no new scenes and leaves the open ones (closed
    scenes keep their cast, as it was when they were written)."""
    with transaction.atomic():
        character.retire()
        generations.bump_character_stories(character.pk)
        leave_open_scenes(Participant.objects.filter(character=character))


def leave_open_scenes(participants):
    """Delete these ``participants`` rows where their scene is open, and close the gaps
    they leave in each scene's posting order. Call inside a transaction.

    Each scene's row is locked first, as posting locks it, so nobody takes a turn while
    the order is rewritten."""
    participants = participants.filter(scene__is_open=True)
    scene_ids = sorted(set(participants.values_list("scene_id", flat=True)))
    if not scene_ids:
        return
    list(Scene.objects.select_for_update().filter(pk__in=scene_ids).order_by("pk"))
    participants.delete()
    for scene_id in scene_ids:
        _close_gaps(scene_id)


def _close_gaps(scene_id):
    """Renumber a scene's participants 1, 2, 3… keeping their order. Lowest first, each to
    a place at or below its own: that place is always free by then, so the unique
    (scene, position) constraint holds after every single update."""
    rows = Participant.objects.filter(scene_id=scene_id).order_by("position")
    for place, (pk, position) in enumerate(list(rows.values_list("pk", "position")), start=1):
        if position != place:
            Participant.objects.filter(pk=pk).update(position=place)
