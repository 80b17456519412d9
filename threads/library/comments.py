"""Readers' comments on chapters: who may write one, what each reader sees, and the
moderators' decisions on them.

A comment goes through the same moderation as a post: pending unless its author is trusted
(threads.moderation.needs_review), then approved or rejected in the admin's queue; reported
by readers; hidden with a reason. Each decision locks the comment, checks its state again,
changes it, writes a ModerationAction, tells the author after commit, and, when a comment
goes public, puts the e-mail to the story's writers in the outbox (threads.library.outbox).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone

from threads.lib.emails import send_after_commit
from threads.lib.locking import run_in_transaction, take_write_lock
from threads.models import (
    Comment,
    CommentBlock,
    CommentReport,
    Membership,
    ModerationAction,
    Mute,
    Story,
    generations,
)
from threads.moderation import ModerationError, needs_review

from . import outbox

Action = ModerationAction.Action
OPEN, REGISTERED, OFF = "open", "registered", "off"


class CommentRefused(Exception):
    """The reader may not comment here; the message says why."""


# Who may comment -------------------------------------------------------------------------


def writer_ids(story):
    return set(Membership.objects.active().filter(story=story).values_list("user_id", flat=True))


def shown_to(story, user):
    """Whether this reader sees the story's comments at all."""
    if story.comment_policy == OFF:
        return False
    return story.comment_policy == OPEN or user.is_authenticated


def refusal(story, user, parent=None):
    """Why ``user`` may not comment on ``story`` (one they may read), or None."""
    if not user.is_authenticated:
        return "Sign in to comment. Your text is kept below to copy."
    if story.comment_policy == OFF:
        return "The writers have turned comments off for this story."
    if user.is_suspended:
        return "Your account is suspended, so you cannot comment. You can still read."
    if not user.email_confirmed:
        return "Confirm your e-mail address first: we sent you a link."
    writers = writer_ids(story)
    if user.pk not in writers and is_blocked(story, user):
        return "A writer of this story has blocked you from commenting on their stories."
    if parent is not None and user.pk not in writers:
        return "Only the story's writers answer comments."
    return None


def is_blocked(story, user):
    writers = Membership.objects.active().filter(story=story).values("user")
    return CommentBlock.objects.filter(reader=user, writer__in=writers).exists()


def submit(chapter, user, body, parent=None):
    """A new comment (or a writer's reply to ``parent``) on ``chapter``: pending, or
    approved at once for a trusted commenter. Raises CommentRefused with the reason."""
    story = chapter.story
    if parent is not None and (
        parent.chapter_id != chapter.pk or parent.parent_id is not None or not parent.is_approved
    ):
        raise CommentRefused("That comment cannot be answered here.")
    reason = refusal(story, user, parent)
    if reason:
        raise CommentRefused(reason)
    return run_in_transaction(_submit, chapter, user, body, parent)


def _submit(chapter, user, body, parent):
    pending = needs_review(user)
    comment = Comment.objects.create(
        chapter=chapter,
        author=user,
        parent=parent,
        body=body,
        status=Comment.Status.PENDING if pending else Comment.Status.APPROVED,
        decided_at=None if pending else timezone.now(),
    )
    if not pending:
        outbox.comment_approved(comment)
        generations.bump_story(chapter.story_id)  # shown on the chapter page at once
    return comment


# What each reader sees -------------------------------------------------------------------


# What the chapter page prints of a comment and its writer
# (threads/library/comments/_comment.html): their names, never a password hash nor the
# rest of a user's row, whose columns cost more to select than the comments themselves.
PAGE_FIELDS = (
    "chapter",
    "author__username",
    "author__display_name",
    "parent",
    "body_html",
    "status",
    "moderation_reason",
    "created_at",
)


def for_chapter(chapter, user):
    """The comments on ``chapter`` this user sees, oldest first, each with ``shown_replies``:
    two queries whatever their number (one when there are none)."""
    replies = (
        Comment.objects.visible_to(user)
        .select_related("author")
        .only(*PAGE_FIELDS)
        .order_by("created_at")
    )
    return list(
        Comment.objects.visible_to(user)
        .filter(chapter=chapter, parent=None)
        .select_related("author")
        .only(*PAGE_FIELDS)
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by("created_at", "pk")
    )


def reportable(comment, user):
    return (
        user.is_authenticated
        and not user.is_suspended
        and comment.is_approved
        and comment.author_id != user.pk
    )


# Blocks and mutes ------------------------------------------------------------------------


def block(writer, reader):
    if writer.pk == reader.pk:
        raise CommentRefused("You cannot block yourself.")
    CommentBlock.objects.get_or_create(writer=writer, reader=reader)


def unblock(writer, reader):
    CommentBlock.objects.filter(writer=writer, reader=reader).delete()


def mute(reader, writer):
    if writer.pk == reader.pk:
        raise CommentRefused("You cannot mute yourself.")
    Mute.objects.get_or_create(reader=reader, writer=writer)


def unmute(reader, writer):
    Mute.objects.filter(reader=reader, writer=writer).delete()


def stories_listed_for(user):
    """Readable stories, without those of writers the reader muted."""
    return Story.objects.readable_by(user).not_muted_by(user)


# Moderators' decisions -------------------------------------------------------------------

PERMISSION = "threads.moderate_comment"

# Each decision: the states it may be made from, the state it leaves, and the audit action.
_RULES = {
    "approve": ({Comment.Status.PENDING}, Comment.Status.APPROVED, Action.APPROVE_COMMENT),
    "reject": ({Comment.Status.PENDING}, Comment.Status.REJECTED, Action.REJECT_COMMENT),
    "hide": (
        {Comment.Status.APPROVED, Comment.Status.PENDING},
        Comment.Status.HIDDEN,
        Action.HIDE_COMMENT,
    ),
    "restore": (
        {Comment.Status.REJECTED, Comment.Status.HIDDEN},
        Comment.Status.APPROVED,
        Action.RESTORE_COMMENT,
    ),
}
_NEEDS_REASON = {"reject", "hide"}


def approve(comment, moderator, reason=""):
    return decide(comment, moderator, "approve", reason)


def reject(comment, moderator, reason):
    return decide(comment, moderator, "reject", reason)


def hide(comment, moderator, reason):
    return decide(comment, moderator, "hide", reason)


def restore(comment, moderator, reason=""):
    return decide(comment, moderator, "restore", reason)


def decide(comment, moderator, decision, reason=""):
    if not moderator.has_perm(PERMISSION):
        raise PermissionDenied("You are not allowed to decide on comments.")
    reason = (reason or "").strip()
    if decision in _NEEDS_REASON and not reason:
        raise ModerationError("Give a reason: the commenter will see it.")
    return run_in_transaction(
        _decide, comment.pk, moderator, decision, reason, error=ModerationError
    )


def _decide(pk, moderator, decision, reason):
    comment = _locked(pk)
    from_states, status, action = _RULES[decision]
    if comment.status not in from_states:
        raise ModerationError(
            f"Cannot {decision} comment #{comment.pk}: it is already "
            f"{comment.get_status_display().lower()}."
        )
    _apply(comment, moderator, status, action, reason)
    return comment


def _apply(comment, moderator, status, action, reason):
    comment.status = status
    comment.moderation_reason = "" if status == Comment.Status.APPROVED else reason
    comment.decided_at = timezone.now()
    comment.save(update_fields=["status", "moderation_reason", "decided_at"])
    generations.bump_story(comment.chapter.story_id)  # shown or hidden on its chapter page
    ModerationAction.objects.create(
        moderator=moderator, action=action, comment=comment, subject=comment.author, reason=reason
    )
    _tell_author(comment, action, reason)
    if status == Comment.Status.APPROVED:
        outbox.comment_approved(comment)


def _locked(pk):
    take_write_lock(Comment, pk)
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "chapter__story")
        .get(pk=pk)
    )


def resolve_reports(comment, moderator, outcome, reason=""):
    """Resolve every open report on ``comment``: "hide" it (with ``reason``) or "dismiss"."""
    if not moderator.has_perm(PERMISSION):
        raise PermissionDenied("You are not allowed to decide on comments.")
    if outcome not in ("hide", "dismiss"):
        raise ModerationError(f"Unknown outcome {outcome!r}.")
    reason = (reason or "").strip()
    if outcome == "hide" and not reason:
        raise ModerationError("Give a reason: the commenter will see it.")
    return run_in_transaction(
        _resolve, comment.pk, moderator, outcome, reason, error=ModerationError
    )


def _resolve(pk, moderator, outcome, reason):
    comment = _locked(pk)
    open_reports = comment.reports.filter(resolution=CommentReport.Resolution.OPEN)
    if not open_reports.exists():
        raise ModerationError(f"The reports on comment #{comment.pk} were already resolved.")
    if outcome == "hide":
        if comment.status != Comment.Status.HIDDEN:
            _apply(comment, moderator, Comment.Status.HIDDEN, Action.HIDE_COMMENT, reason)
        resolution = CommentReport.Resolution.HIDDEN
    else:
        ModerationAction.objects.create(
            moderator=moderator,
            action=Action.DISMISS_COMMENT_REPORT,
            comment=comment,
            subject=comment.author,
            reason=reason,
        )
        resolution = CommentReport.Resolution.DISMISSED
    return open_reports.update(
        resolution=resolution, resolved_by=moderator, resolved_at=timezone.now()
    )


# What the commenter is told: subject and opening line by decision.
NOTICES = {
    Action.APPROVE_COMMENT: (
        "Your comment on “{chapter}” is approved",
        "A moderator approved your comment on “{chapter}” ({story}). Readers can see it now.",
    ),
    Action.REJECT_COMMENT: (
        "Your comment on “{chapter}” was not approved",
        "A moderator did not approve your comment on “{chapter}” ({story}).",
    ),
    Action.HIDE_COMMENT: (
        "Your comment on “{chapter}” was hidden",
        "A moderator hid your comment on “{chapter}” ({story}). Readers no longer see it.",
    ),
    Action.RESTORE_COMMENT: (
        "Your comment on “{chapter}” is restored",
        "A moderator restored your comment on “{chapter}” ({story}). Readers can see it again.",
    ),
}


def _tell_author(comment, action, reason):
    author = comment.author
    if not author.notify_on_moderation:
        return
    subject, headline = NOTICES[action]
    names = {"chapter": comment.chapter.title, "story": comment.chapter.story.title}
    context = {
        "subject": subject.format(**names),
        "headline": headline.format(**names),
        "reason": reason,
        "comment": comment,
        "comment_url": comment.get_absolute_url(),
    }
    send_after_commit(author, "moderation_comment", context)
