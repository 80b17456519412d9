"""The steps every decision shares: its reason checked, its transaction with the rows locked, a
stale decision refused, and its ModerationAction written."""

from threads.lib.locking import run_in_transaction, take_write_lock
from threads.models import ModerationAction, Post, Scene, User

from .rules import ModerationError, describe

Action = ModerationAction.Action


def required_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason: the writer will see it.")
    return reason


def in_transaction(function, *args):
    """Run one decision in its own transaction (threads.lib.locking), retried while SQLite
    reports the database locked, so it sees another moderator's decision and refuses."""
    return run_in_transaction(function, *args, error=ModerationError)


def locked_post(pk):
    """The post, then its scene, locked: the order posting uses for edits and withdrawals.
    The scene's lock serializes every change of its reading frontier."""
    take_write_lock(Post, pk)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("scene__chapter__story", "author", "character")
        .get(pk=pk)
    )
    list(Scene.objects.select_for_update().filter(pk=post.scene_id).values_list("pk"))
    return post


def locked_user(pk):
    take_write_lock(User, pk)
    return User.objects.select_for_update().get(pk=pk)


def refuse_stale(post, verb):
    if post.status == Post.Status.WITHDRAWN:
        raise ModerationError(
            f"Cannot {verb} {describe(post)}: its writer withdrew it, so there is nothing "
            "to decide."
        )
    raise ModerationError(
        f"Cannot {verb} {describe(post)}: it is already "
        f"{post.get_status_display().lower()}{by_whom(post)}."
    )


def by_whom(post):
    """ ", by moss" when a moderator's decision explains the post's state."""
    last = post.moderation_actions.select_related("moderator").first()
    return f", by {last.moderator}" if last else ""


def record(moderator, action, post=None, revision=None, subject=None, reason=""):
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        post=post,
        revision=revision,
        subject=subject or (post.author if post else None),
        reason=reason,
    )
