"""Readers' reports on a post, resolved at once: dismissed, the post hidden, or its writer
suspended; every reporter is told the outcome."""

from django.utils import timezone

from threads.lib.emails import send_after_commit
from threads.models import ModerationAction, Post, Report

from .notices import REPORT_NOTICES, notice_words
from .posts import apply_post_decision
from .rules import ModerationError, describe, refuse_account_decision, refuse_own_post, require
from .steps import in_transaction, locked_post, locked_user, required_reason
from .writers import suspend_locked

Action = ModerationAction.Action


OUTCOMES = {
    "hide": Report.Resolution.POST_HIDDEN,
    "dismiss": Report.Resolution.DISMISSED,
    "suspend": Report.Resolution.AUTHOR_SUSPENDED,
}


def resolve_reports(post, moderator, outcome, reason=""):
    """Resolve every open report on ``post`` at once, and tell each reporter the outcome
    (unless they turned off e-mails about moderators' decisions).

    ``outcome`` is "hide" (the post goes back to rejected, with ``reason``), "dismiss", or
    "suspend" (the author is suspended with ``reason`` and the post is hidden too, since
    the report was upheld). Returns the number of reports resolved.
    """
    require(moderator, "threads.resolve_report")
    if outcome not in OUTCOMES:
        raise ModerationError(f"Unknown outcome {outcome!r}.")
    if outcome == "suspend":
        require(moderator, "threads.moderate_user")
    reason = required_reason(reason) if outcome != "dismiss" else (reason or "").strip()
    return in_transaction(_resolve_reports, post.pk, moderator, outcome, reason)


def _resolve_reports(post_pk, moderator, outcome, reason):
    post = locked_post(post_pk)
    refuse_own_post(post, moderator, "resolve the reports on")
    open_reports = post.reports.filter(resolution=Report.Resolution.OPEN)
    report_pks = list(open_reports.values_list("pk", flat=True))
    if not report_pks:
        raise ModerationError(f"The reports on {describe(post)} were already resolved.")
    _apply_outcome(post, moderator, outcome, reason)
    Report.objects.filter(pk__in=report_pks).update(
        resolution=OUTCOMES[outcome], resolved_by=moderator, resolved_at=timezone.now()
    )
    for report in Report.objects.filter(pk__in=report_pks).select_related("reporter"):
        # There is no separate setting for report outcomes: they are moderators'
        # decisions, so the reporter's notify_on_moderation covers them.
        if report.reporter.notify_on_moderation:
            notice = REPORT_NOTICES[report.resolution]
            words = notice_words(notice, scene=post.scene.title)
            context = {"report": report, "post": post, **words}
            send_after_commit(report.reporter, "report_resolved", context)
    return len(report_pks)


def _apply_outcome(post, moderator, outcome, reason):
    if outcome == "dismiss":
        # About the post only (no subject): nothing happened to its writer, so it stays out
        # of their moderation history. (record would name the post's author.)
        ModerationAction.objects.create(
            moderator=moderator, action=Action.DISMISS_REPORT, post=post, reason=reason
        )
        return
    # A post already out of sight stays as it is; the reports are still resolved.
    if post.status in (Post.Status.APPROVED, Post.Status.PENDING):
        apply_post_decision(post, moderator, Action.HIDE, reason)
    if outcome == "suspend":
        # Checked under the user's lock: another moderator may have just suspended them.
        author = locked_user(post.author_id)
        # Refused here, the hide above is rolled back with it: nothing changes.
        refuse_account_decision(author, moderator, "suspend")
        if not author.is_suspended:
            suspend_locked(author, moderator, reason, post=post)
