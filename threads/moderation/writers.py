"""Decisions on writers: trust (posts skip the queue) and suspension (no writing, no
moderating), each audited and told."""

from threads.models import ModerationAction

from .notices import tell_writer
from .rules import ModerationError, refuse_account_decision, require
from .steps import in_transaction, locked_user, record, required_reason

Action = ModerationAction.Action


def set_trusted(user, moderator, trusted):
    """Trusted writers' posts and edits are approved without waiting for a moderator."""
    require(moderator, "threads.moderate_user")
    return in_transaction(_set_trusted, user.pk, moderator, trusted)


def _set_trusted(user_pk, moderator, trusted):
    user = locked_user(user_pk)
    refuse_account_decision(user, moderator, "trust" if trusted else "untrust")
    if user.is_trusted == trusted:
        raise ModerationError(f"{user} is already {'trusted' if trusted else 'not trusted'}.")
    user.is_trusted = trusted
    user.save(update_fields=["is_trusted"])
    action = Action.TRUST if trusted else Action.UNTRUST
    record(moderator, action, subject=user)
    tell_writer(user, action)
    return user


def suspend(user, moderator, reason):
    """A suspended writer cannot post, edit or report, and is shown ``reason``."""
    require(moderator, "threads.moderate_user")
    reason = required_reason(reason)
    return in_transaction(_suspend, user.pk, moderator, reason)


def _suspend(user_pk, moderator, reason):
    user = locked_user(user_pk)
    refuse_account_decision(user, moderator, "suspend")
    if user.is_suspended:
        raise ModerationError(f"{user} is already suspended.")
    suspend_locked(user, moderator, reason)
    return user


def suspend_locked(user, moderator, reason, post=None):
    user.suspend(reason)
    record(moderator, Action.SUSPEND, subject=user, post=post, reason=reason)
    tell_writer(user, Action.SUSPEND, reason)


def unsuspend(user, moderator, reason=""):
    """The writer may post, edit and report again."""
    require(moderator, "threads.moderate_user")
    return in_transaction(_unsuspend, user.pk, moderator, (reason or "").strip())


def _unsuspend(user_pk, moderator, reason):
    user = locked_user(user_pk)
    refuse_account_decision(user, moderator, "unsuspend")
    if not user.is_suspended:
        raise ModerationError(f"{user} is not suspended.")
    user.unsuspend()
    record(moderator, Action.UNSUSPEND, subject=user, reason=reason)
    tell_writer(user, Action.UNSUSPEND, reason)
    return user
