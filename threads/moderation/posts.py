"""Decisions on posts and on edits of approved posts. Each moves the scene's reading frontier
(threads/writing/frontier.py), which publishes or holds back what follows."""

from django.utils import timezone

from threads.discovery import indexing
from threads.models import ModerationAction, Post, Revision, generations
from threads.writing import frontier, turns

from .notices import tell_author
from .rules import ModerationError, describe, refuse_own_post, require
from .steps import by_whom, in_transaction, locked_post, record, refuse_stale, required_reason

Action = ModerationAction.Action


def approve(post, moderator):
    """A pending post goes public: readers see it and its words count."""
    return _decide_post(post, moderator, Action.APPROVE)


def reject(post, moderator, reason):
    """A pending post is turned down; its writer sees the reason and may edit and resubmit."""
    return _decide_post(post, moderator, Action.REJECT, reason, reason_required=True)


def restore(post, moderator, reason=""):
    """Undo a rejection or a hide: the post is approved again as it stands."""
    return _decide_post(post, moderator, Action.RESTORE, reason)


def hide(post, moderator, reason):
    """Take a post down after the fact (usually after a report): back to rejected. Readers
    are held at it, as at any rejected post, until it is restored, fixed or removed."""
    return _decide_post(post, moderator, Action.HIDE, reason, reason_required=True)


def remove(post, moderator, reason):
    """Take a post out for good (spam, abuse): it leaves the reading sequence and the turn
    order, so the scene's reading frontier moves on past it. The row is kept, for the audit
    trail and its author, who sees it with the reason."""
    return _decide_post(post, moderator, Action.REMOVE, reason, reason_required=True)


# Each decision on a post: the states it may be made from, and the state it leaves.
_POST_DECISION_RULES = {
    Action.APPROVE: ({Post.Status.PENDING}, Post.Status.APPROVED),
    Action.REJECT: ({Post.Status.PENDING}, Post.Status.REJECTED),
    Action.RESTORE: ({Post.Status.REJECTED}, Post.Status.APPROVED),
    Action.HIDE: ({Post.Status.APPROVED, Post.Status.PENDING}, Post.Status.REJECTED),
    Action.REMOVE: (
        {Post.Status.APPROVED, Post.Status.PENDING, Post.Status.REJECTED},
        Post.Status.REMOVED,
    ),
}


def _decide_post(post, moderator, action, reason="", reason_required=False):
    require(moderator, "threads.moderate_post")
    reason = required_reason(reason) if reason_required else (reason or "").strip()
    return in_transaction(_decide_locked_post, post.pk, moderator, action, reason)


def _decide_locked_post(post_pk, moderator, action, reason):
    post = locked_post(post_pk)
    refuse_own_post(post, moderator, action)
    apply_post_decision(post, moderator, action, reason)
    return post


def apply_post_decision(post, moderator, action, reason):
    """Checks the locked post's state, changes it, records the decision, tells the writer."""
    from_states, new_status = _POST_DECISION_RULES[action]
    if post.status not in from_states:
        refuse_stale(post, action)
    if action == Action.RESTORE:
        _refuse_restore_out_of_turn(post)
    _set_status(post, new_status, reason)
    record(moderator, action, post=post, reason=reason)
    tell_author(post, action, reason)


def _refuse_restore_out_of_turn(post):
    """A rejected turn comes back at its own number. Others answering it is fine (readers
    were held at it meanwhile); its own turn taken again since is not: readers would see
    that turn twice. The writer can post the text again instead."""
    state = turns.turn_state(post.scene)
    if state.takes_turn(post.kind) and turns.is_replaced(post, state):
        raise ModerationError(
            f"Cannot restore {describe(post)}: its turn was taken again after it was "
            "rejected, and restoring it would give that turn twice. The writer can post it "
            "again."
        )


def _set_status(post, status, reason):
    """Change the locked post's status, then move its scene's reading frontier, which
    publishes or holds back the posts behind it and keeps the counts."""
    now = timezone.now()
    post.status = status
    post.moderation_reason = "" if status == Post.Status.APPROVED else reason
    fields = ["status", "moderation_reason"]
    if status == Post.Status.APPROVED:
        post.approved_at = now
        fields.append("approved_at")
    post.save(update_fields=fields)
    frontier.refresh(post.scene_id, now)
    post.refresh_from_db(fields=["published_at"])


def approve_edit(revision, moderator):
    """The edited text replaces the approved text, and the counts follow it."""
    require(moderator, "threads.moderate_post")
    return in_transaction(_approve_edit, revision.post_id, revision.pk, moderator)


def _approve_edit(post_pk, revision_pk, moderator):
    post = locked_post(post_pk)
    refuse_own_post(post, moderator, "approve an edit of")
    revision = _pending_edit(post, revision_pk, "approve")
    old_words = post.word_count
    post.body = revision.body
    post.edited_at = revision.created_at
    post.save(update_fields=["body", "edited_at"])
    indexing.index_posts([post.pk])  # readers' search finds the approved text
    generations.bump_scene_story(post.scene_id)  # and readers' cached pages
    revision.status = Revision.Status.APPROVED
    revision.save(update_fields=["status"])
    # Older edits still waiting were superseded by this one.
    post.revisions.filter(status=Revision.Status.PENDING, number__lt=revision.number).update(
        status=Revision.Status.REJECTED
    )
    if post.counts_in_story:
        frontier.shift_counts(post.scene_id, post.word_count - old_words)
    record(moderator, Action.APPROVE_EDIT, post=post, revision=revision)
    tell_author(post, Action.APPROVE_EDIT)
    return revision


def reject_edit(revision, moderator, reason):
    """The edit is turned down; readers keep the approved text."""
    require(moderator, "threads.moderate_post")
    reason = required_reason(reason)
    return in_transaction(_reject_edit, revision.post_id, revision.pk, moderator, reason)


def _reject_edit(post_pk, revision_pk, moderator, reason):
    post = locked_post(post_pk)
    refuse_own_post(post, moderator, "reject an edit of")
    revision = _pending_edit(post, revision_pk, "reject")
    revision.status = Revision.Status.REJECTED
    revision.save(update_fields=["status"])
    record(moderator, Action.REJECT_EDIT, post=post, revision=revision, reason=reason)
    tell_author(post, Action.REJECT_EDIT, reason)
    return revision


def _pending_edit(post, revision_pk, verb):
    """The revision, re-read under the post's lock, if it is still an edit to decide on."""
    revision = Revision.objects.get(pk=revision_pk)
    if revision.status != Revision.Status.PENDING:
        raise ModerationError(
            f"Cannot {verb} this edit of {describe(post)}: it was already "
            f"{revision.get_status_display().lower()}{by_whom(post)}."
        )
    if post.status != Post.Status.APPROVED:
        raise ModerationError(
            f"Cannot {verb} this edit: {describe(post)} is no longer approved "
            f"({post.get_status_display().lower()})."
        )
    if post.revisions.filter(number__gt=revision.number).exists():
        raise ModerationError(
            f"The writer has edited {describe(post)} again since; decide on the newest edit."
        )
    return revision
