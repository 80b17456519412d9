"""Claiming imported posts: a writer asks to be credited with a character's imported posts
in a story, and the story's owner decides.

Imported posts whose writer was unknown belong to a placeholder account (threads/
interchange/plan.py). Approving a claim credits the character's placeholder posts in that
story to the claimant and, when the placeholder owns the character, hands the character over
too, so the claimant can go on writing as it. Every claim and decision stays as a row.
"""

from django.db import transaction
from django.utils import timezone

from threads.models import Character, Claim, Membership, Post, generations


class ClaimError(Exception):
    """A claim or decision refused; the message is for the person asking."""


def claimable_posts(story, character):
    """The character's imported posts in ``story`` that still stand in a placeholder's name."""
    return Post.objects.filter(
        scene__chapter__story=story, character=character, author__is_placeholder=True
    )


def claimable_stories(character, stories):
    """Those of ``stories`` (a QuerySet) with posts of ``character`` left to claim."""
    posts = Post.objects.filter(character=character, author__is_placeholder=True)
    return stories.filter(pk__in=posts.values("scene__chapter__story"))


def ask(story, character, claimant, note=""):
    """Record ``claimant``'s request for ``character``'s imported posts in ``story``."""
    if claimant.is_suspended:
        raise ClaimError("Your account is suspended, so you cannot claim posts.")
    if not claimable_posts(story, character).exists():
        raise ClaimError(f"{character.name} has no unclaimed imported posts in this story.")
    pending = Claim.objects.pending().filter(story=story, character=character)
    if pending.filter(claimant=claimant).exists():
        raise ClaimError("You have already asked; the story's owner will decide.")
    return Claim.objects.create(story=story, character=character, claimant=claimant, note=note)


def decide(claim, owner, approve):
    """The owner approves or declines a pending claim, in one transaction with the
    claim row locked, so two decisions cannot both land."""
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("story", "character")
            .get(pk=claim.pk)
        )
        _check_owner(claim.story, owner)
        if not claim.is_pending:
            raise ClaimError("This claim has already been decided.")
        claim.status = Claim.Status.APPROVED if approve else Claim.Status.DECLINED
        claim.decided_by, claim.decided_at = owner, timezone.now()
        if approve:
            claim.posts_credited = _credit(claim)
        claim.save(update_fields=["status", "decided_by", "decided_at", "posts_credited"])
        generations.bump_story(claim.story_id)  # the posts' credits change for readers
    return claim


def _credit(claim):
    credited = claimable_posts(claim.story, claim.character).update(author=claim.claimant)
    character = Character.objects.select_related("owner").get(pk=claim.character_id)
    if character.owner.is_placeholder:
        Character.objects.filter(pk=character.pk).update(owner=claim.claimant)
    # Other writers' claims on the same posts have nothing left to claim.
    Claim.objects.pending().filter(story=claim.story, character=claim.character).exclude(
        pk=claim.pk
    ).update(status=Claim.Status.DECLINED, decided_by=claim.decided_by, decided_at=claim.decided_at)
    return credited


def _check_owner(story, user):
    is_owner = story.memberships.filter(
        user=user, role=Membership.Role.OWNER, status=Membership.Status.ACTIVE
    ).exists()
    if not is_owner:
        raise ClaimError("Only the story's owner can decide on claims.")
    if user.is_suspended:
        raise ClaimError("Your account is suspended, so you cannot decide on claims.")
