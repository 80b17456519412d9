"""Who may decide, and on what: the Moderators group and its permissions, which posts wait for
a moderator, and the refusals every decision checks first."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied

from threads.models import ModerationAction

Action = ModerationAction.Action


class ModerationError(Exception):
    """A decision that cannot be made as asked, with a message a moderator can act on."""


MODERATORS_GROUP = "Moderators"


# What the "Moderators" group may do, as migration 0002 sets it up: look at everything a
# decision needs, and decide. Never change_post: moderators do not edit writers' text.
MODERATOR_PERMISSIONS = [
    "threads.view_post",
    "threads.view_revision",
    "threads.view_story",
    "threads.view_chapter",
    "threads.view_scene",
    "threads.view_character",
    "threads.view_user",
    "threads.view_report",
    "threads.view_moderationaction",
    "threads.moderate_post",
    "threads.moderate_user",
    "threads.resolve_report",
    # Tag wrangling (threads.discovery.tags), granted by migration 0008.
    "threads.view_wrangledtag",
    "threads.wrangle_tag",
    "threads.view_tagdecision",
    # Readers' comments (threads.library.comments), granted by migration 0010.
    "threads.view_comment",
    "threads.view_commentreport",
    "threads.moderate_comment",
]


def moderators_group():
    """The "Moderators" group, with its permissions added back if missing (after a database
    flush, say: the migration that made it does not run again)."""
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    codenames = [name.split(".", 1)[1] for name in MODERATOR_PERMISSIONS]
    permissions = Permission.objects.filter(
        content_type__app_label="threads", codename__in=codenames
    )
    # add(), not set(): permissions an administrator gave the group by hand are kept.
    group.permissions.add(*permissions)
    return group


def needs_review(author):
    """Whether a post or edit by ``author`` waits for a moderator before readers see it."""
    if not settings.RP_PREMODERATION:
        return False
    return not (author.is_trusted or author.is_moderator)


def describe(post):
    """How messages name a post: "post #4 in “The Ferry”"."""
    return f"post #{post.number} in “{post.scene.title}”"


def refusal(moderator, permission):
    """Why ``moderator`` may not make decisions needing ``permission``, or "" if they may.
    Suspension takes every moderation power away at once (User.has_perm says no to a
    suspended account too; this says why)."""
    if moderator.is_suspended:
        return (
            "Your account is suspended, so you cannot make moderation decisions until another "
            "moderator lifts the suspension."
        )
    if not moderator.has_perm(permission):
        return "You are not allowed to make this decision."
    return ""


def require(moderator, permission):
    message = refusal(moderator, permission)
    if message:
        raise PermissionDenied(message)


def post_refusal(post, moderator):
    """Why ``moderator`` may not decide on ``post`` (its edits and reports too), as a clause
    ("it is your own post, …"), or "".
    Nobody decides on their own post: another moderator does. Superusers may, as the last
    word on a site that may have one administrator (who could grant themselves anything)."""
    if post.author_id == moderator.pk and not moderator.is_superuser:
        return "it is your own post, so another moderator decides on it"
    return ""


def account_refusal(user, moderator):
    """Why ``moderator`` may not trust, untrust, suspend or unsuspend ``user``, as a clause,
    or "".
    Nobody decides on their own account, a superuser included; only a superuser decides
    on a superuser's account."""
    if user.pk == moderator.pk:
        return "it is your own account, so another moderator decides on it"
    if user.is_superuser and not moderator.is_superuser:
        return "it is an administrator's account, so another administrator decides on it"
    return ""


def refuse_own_post(post, moderator, verb):
    message = post_refusal(post, moderator)
    if message:
        raise ModerationError(f"You cannot {verb} {describe(post)}: {message}.")


def refuse_account_decision(user, moderator, verb):
    message = account_refusal(user, moderator)
    if message:
        whom = "yourself" if user.pk == moderator.pk else user
        raise ModerationError(f"You cannot {verb} {whom}: {message}.")
