"""The import panels included in pages that belong to other views: the story's manage
page (the owner's import link and the claims waiting for a decision) and the character
page (the greeting, claiming imported posts, opening a scene with the greeting)."""

from django import template
from django.db.models import Q

from threads.interchange import claims
from threads.models import Claim, Membership, Story

register = template.Library()


@register.inclusion_tag("threads/imports/_manage_panel.html")
def story_imports(story, membership):
    is_owner = membership is not None and membership.role == Membership.Role.OWNER
    # One query: every claim waiting, and the latest few decided, for the owner only.
    claims_ = []
    if is_owner:
        recent = story.claims.select_related("claimant", "character", "decided_by")
        claims_ = list(recent.filter(Q(status=Claim.Status.PENDING) | Q(pk__in=_decided(story))))
    return {
        "story": story,
        "is_owner": is_owner,
        "pending": [c for c in claims_ if c.is_pending],
        "decided": [c for c in claims_ if not c.is_pending],
    }


def _decided(story):
    decided = Claim.objects.filter(story=story).exclude(status=Claim.Status.PENDING)
    return decided.order_by("-decided_at").values("pk")[:5]


@register.inclusion_tag("threads/imports/_character_panel.html", takes_context=True)
def character_imports(context, character):
    from threads.views.imports import greeting_scenes

    user = context["request"].user
    signed_in = user.is_authenticated
    stories = claims.claimable_stories(character, Story.objects.readable_by(user))
    is_owner = signed_in and character.owner_id == user.pk
    return {
        "request": context["request"],
        "character": character,
        "claim_stories": list(stories.order_by("title")) if signed_in else [],
        "greeting_scenes": (
            list(greeting_scenes(character, user)[:10]) if is_owner and character.greeting else []
        ),
    }
