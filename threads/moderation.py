"""Moderation policy: which posts wait for a moderator, and the decisions on them.

Each decision is one plain function. It runs in a transaction that locks the post (or user)
row, checks the state again under that lock, makes the change, writes one ModerationAction
and queues one e-mail to go out after commit. When the decision no longer fits (another
moderator was faster, the writer withdrew the post) it raises ModerationError with a message
for the moderator, and nothing is written or sent.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from threads.discovery import indexing
from threads.lib.emails import send_after_commit
from threads.lib.locking import run_in_transaction, take_write_lock
from threads.models import ModerationAction, Post, Report, Revision, Scene, User, generations
from threads.writing import frontier, turns

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


# Posts -------------------------------------------------------------------------------


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
    _require(moderator, "threads.moderate_post")
    reason = _required_reason(reason) if reason_required else (reason or "").strip()
    return _in_transaction(_decide_locked_post, post.pk, moderator, action, reason)


def _decide_locked_post(post_pk, moderator, action, reason):
    post = _locked_post(post_pk)
    _refuse_own_post(post, moderator, action)
    _apply_post_decision(post, moderator, action, reason)
    return post


def _apply_post_decision(post, moderator, action, reason):
    """Checks the locked post's state, changes it, records the decision, tells the writer."""
    from_states, new_status = _POST_DECISION_RULES[action]
    if post.status not in from_states:
        _refuse_stale(post, action)
    if action == Action.RESTORE:
        _refuse_restore_out_of_turn(post)
    _set_status(post, new_status, reason)
    _record(moderator, action, post=post, reason=reason)
    _tell_author(post, action, reason)


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


# Edits of approved posts --------------------------------------------------------------


def approve_edit(revision, moderator):
    """The edited text replaces the approved text, and the counts follow it."""
    _require(moderator, "threads.moderate_post")
    return _in_transaction(_approve_edit, revision.post_id, revision.pk, moderator)


def _approve_edit(post_pk, revision_pk, moderator):
    post = _locked_post(post_pk)
    _refuse_own_post(post, moderator, "approve an edit of")
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
    _record(moderator, Action.APPROVE_EDIT, post=post, revision=revision)
    _tell_author(post, Action.APPROVE_EDIT)
    return revision


def reject_edit(revision, moderator, reason):
    """The edit is turned down; readers keep the approved text."""
    _require(moderator, "threads.moderate_post")
    reason = _required_reason(reason)
    return _in_transaction(_reject_edit, revision.post_id, revision.pk, moderator, reason)


def _reject_edit(post_pk, revision_pk, moderator, reason):
    post = _locked_post(post_pk)
    _refuse_own_post(post, moderator, "reject an edit of")
    revision = _pending_edit(post, revision_pk, "reject")
    revision.status = Revision.Status.REJECTED
    revision.save(update_fields=["status"])
    _record(moderator, Action.REJECT_EDIT, post=post, revision=revision, reason=reason)
    _tell_author(post, Action.REJECT_EDIT, reason)
    return revision


def _pending_edit(post, revision_pk, verb):
    """The revision, re-read under the post's lock, if it is still an edit to decide on."""
    revision = Revision.objects.get(pk=revision_pk)
    if revision.status != Revision.Status.PENDING:
        raise ModerationError(
            f"Cannot {verb} this edit of {describe(post)}: it was already "
            f"{revision.get_status_display().lower()}{_by_whom(post)}."
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


# Reports --------------------------------------------------------------------------------

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
    _require(moderator, "threads.resolve_report")
    if outcome not in OUTCOMES:
        raise ModerationError(f"Unknown outcome {outcome!r}.")
    if outcome == "suspend":
        _require(moderator, "threads.moderate_user")
    reason = _required_reason(reason) if outcome != "dismiss" else (reason or "").strip()
    return _in_transaction(_resolve_reports, post.pk, moderator, outcome, reason)


def _resolve_reports(post_pk, moderator, outcome, reason):
    post = _locked_post(post_pk)
    _refuse_own_post(post, moderator, "resolve the reports on")
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
            context = {"report": report, "post": post, **_words(notice, scene=post.scene.title)}
            send_after_commit(report.reporter, "report_resolved", context)
    return len(report_pks)


def _apply_outcome(post, moderator, outcome, reason):
    if outcome == "dismiss":
        # About the post only (no subject): nothing happened to its writer, so it stays out
        # of their moderation history. (_record would name the post's author.)
        ModerationAction.objects.create(
            moderator=moderator, action=Action.DISMISS_REPORT, post=post, reason=reason
        )
        return
    # A post already out of sight stays as it is; the reports are still resolved.
    if post.status in (Post.Status.APPROVED, Post.Status.PENDING):
        _apply_post_decision(post, moderator, Action.HIDE, reason)
    if outcome == "suspend":
        # Checked under the user's lock: another moderator may have just suspended them.
        author = _locked_user(post.author_id)
        # Refused here, the hide above is rolled back with it: nothing changes.
        _refuse_account_decision(author, moderator, "suspend")
        if not author.is_suspended:
            _suspend_locked(author, moderator, reason, post=post)


# Writers --------------------------------------------------------------------------------


def set_trusted(user, moderator, trusted):
    """Trusted writers' posts and edits are approved without waiting for a moderator."""
    _require(moderator, "threads.moderate_user")
    return _in_transaction(_set_trusted, user.pk, moderator, trusted)


def _set_trusted(user_pk, moderator, trusted):
    user = _locked_user(user_pk)
    _refuse_account_decision(user, moderator, "trust" if trusted else "untrust")
    if user.is_trusted == trusted:
        raise ModerationError(f"{user} is already {'trusted' if trusted else 'not trusted'}.")
    user.is_trusted = trusted
    user.save(update_fields=["is_trusted"])
    action = Action.TRUST if trusted else Action.UNTRUST
    _record(moderator, action, subject=user)
    _tell_writer(user, action)
    return user


def suspend(user, moderator, reason):
    """A suspended writer cannot post, edit or report, and is shown ``reason``."""
    _require(moderator, "threads.moderate_user")
    reason = _required_reason(reason)
    return _in_transaction(_suspend, user.pk, moderator, reason)


def _suspend(user_pk, moderator, reason):
    user = _locked_user(user_pk)
    _refuse_account_decision(user, moderator, "suspend")
    if user.is_suspended:
        raise ModerationError(f"{user} is already suspended.")
    _suspend_locked(user, moderator, reason)
    return user


def _suspend_locked(user, moderator, reason, post=None):
    user.suspend(reason)
    _record(moderator, Action.SUSPEND, subject=user, post=post, reason=reason)
    _tell_writer(user, Action.SUSPEND, reason)


def unsuspend(user, moderator, reason=""):
    """The writer may post, edit and report again."""
    _require(moderator, "threads.moderate_user")
    return _in_transaction(_unsuspend, user.pk, moderator, (reason or "").strip())


def _unsuspend(user_pk, moderator, reason):
    user = _locked_user(user_pk)
    _refuse_account_decision(user, moderator, "unsuspend")
    if not user.is_suspended:
        raise ModerationError(f"{user} is not suspended.")
    user.unsuspend()
    _record(moderator, Action.UNSUSPEND, subject=user, reason=reason)
    _tell_writer(user, Action.UNSUSPEND, reason)
    return user


# Shared steps -----------------------------------------------------------------------------


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


def _require(moderator, permission):
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


def _refuse_own_post(post, moderator, verb):
    message = post_refusal(post, moderator)
    if message:
        raise ModerationError(f"You cannot {verb} {describe(post)}: {message}.")


def _refuse_account_decision(user, moderator, verb):
    message = account_refusal(user, moderator)
    if message:
        whom = "yourself" if user.pk == moderator.pk else user
        raise ModerationError(f"You cannot {verb} {whom}: {message}.")


def _required_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason: the writer will see it.")
    return reason


def _in_transaction(function, *args):
    """Run one decision in its own transaction (threads.lib.locking), retried while SQLite
    reports the database locked, so it sees another moderator's decision and refuses."""
    return run_in_transaction(function, *args, error=ModerationError)


def _locked_post(pk):
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


def _locked_user(pk):
    take_write_lock(User, pk)
    return User.objects.select_for_update().get(pk=pk)


def _refuse_stale(post, verb):
    if post.status == Post.Status.WITHDRAWN:
        raise ModerationError(
            f"Cannot {verb} {describe(post)}: its writer withdrew it, so there is nothing "
            "to decide."
        )
    raise ModerationError(
        f"Cannot {verb} {describe(post)}: it is already "
        f"{post.get_status_display().lower()}{_by_whom(post)}."
    )


def _by_whom(post):
    """ ", by moss" when a moderator's decision explains the post's state."""
    last = post.moderation_actions.select_related("moderator").first()
    return f", by {last.moderator}" if last else ""


def _record(moderator, action, post=None, revision=None, subject=None, reason=""):
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        post=post,
        revision=revision,
        subject=subject or (post.author if post else None),
        reason=reason,
    )


def _tell_author(post, action, reason=""):
    author = post.author
    if not author.notify_on_moderation:
        return
    words = _words(
        POST_NOTICES[action],
        reason,
        number=post.number,
        scene=post.scene.title,
        story=post.scene.chapter.story.title,
    )
    if action in (Action.REJECT, Action.HIDE) and frontier.answers(post):
        words["next_step"] = _HELD_BACK.format(number=post.number)
    post_url = settings.SITE_URL + post.get_absolute_url()
    send_after_commit(author, "moderation_post", {**words, "post_url": post_url})


def _tell_writer(user, action, reason=""):
    if user.notify_on_moderation:
        send_after_commit(user, "moderation_account", _words(ACCOUNT_NOTICES[action], reason))


# What the writer is told ----------------------------------------------------------------
# Each decision's e-mail: its subject, its opening paragraph, the label over the moderator's
# reason (shown when one was given) and what the writer can do next. The templates print
# these; {number}, {scene} and {story} name the post.


@dataclass(frozen=True)
class Notice:
    subject: str
    headline: str
    reason_label: str = "The moderator's reason"
    next_step: str = ""


def _words(notice, reason="", **names):
    """What an e-mail's templates print for ``notice``, with the post's ``names`` filled in
    (str.format reads only the notice's own text for fields, never the names)."""
    return {
        "subject": notice.subject.format(**names),
        "headline": notice.headline.format(**names),
        "reason_label": notice.reason_label,
        "next_step": notice.next_step,
        "reason": reason,
    }


_RESUBMIT = "Your text is kept. Edit the post to resubmit it for approval."
_NOTE = "The moderator's note"
_HELD_BACK = (
    "Others have already answered it, so readers see the scene only up to it until it is "
    "approved. Edit the post to fix it: it is resubmitted in place, as #{number}, and your "
    "text is kept."
)

POST_NOTICES = {
    Action.APPROVE: Notice(
        "Your post in “{scene}” is approved",
        "A moderator approved your post #{number} in “{scene}” ({story}). Readers can see it now.",
    ),
    Action.REJECT: Notice(
        "Your post in “{scene}” was not approved",
        "A moderator did not approve your post #{number} in “{scene}” ({story}).",
        next_step=_RESUBMIT,
    ),
    Action.RESTORE: Notice(
        "Your post in “{scene}” is restored",
        "A moderator restored your post #{number} in “{scene}” ({story}). "
        "Readers can see it again.",
        reason_label=_NOTE,
    ),
    Action.HIDE: Notice(
        "Your post in “{scene}” was hidden by a moderator",
        "A moderator hid your post #{number} in “{scene}” ({story}). Readers no longer see it.",
        next_step=_RESUBMIT,
    ),
    Action.REMOVE: Notice(
        "Your post in “{scene}” was removed by a moderator",
        "A moderator removed your post #{number} in “{scene}” ({story}) for good. It has left "
        "the scene: readers never see it, and the scene goes on without it. You can still "
        "read it on the scene page.",
    ),
    Action.APPROVE_EDIT: Notice(
        "Your edit in “{scene}” is approved",
        "A moderator approved your edit of post #{number} in “{scene}” ({story}). "
        "Readers see the new text now.",
    ),
    Action.REJECT_EDIT: Notice(
        "Your edit in “{scene}” was not approved",
        "A moderator did not approve your edit of post #{number} in “{scene}” ({story}). "
        "Readers keep seeing the earlier, approved text.",
    ),
}

ACCOUNT_NOTICES = {
    Action.TRUST: Notice(
        "Your posts on RP Archive no longer wait for approval",
        "A moderator marked you as a trusted writer. From now on your posts and edits "
        "appear to readers straight away, without waiting for approval.",
    ),
    Action.UNTRUST: Notice(
        "Your posts on RP Archive will wait for approval again",
        "A moderator took away your trusted status. From now on your posts and edits wait "
        "for a moderator's approval before readers see them.",
    ),
    Action.SUSPEND: Notice(
        "Your RP Archive account is suspended",
        "A moderator suspended your account. While it is suspended you cannot post, edit "
        "posts or report posts. You can still read.",
    ),
    Action.UNSUSPEND: Notice(
        "Your RP Archive account is no longer suspended",
        "A moderator lifted the suspension of your account. You can post, edit and report again.",
        reason_label=_NOTE,
    ),
}

# The reporter's e-mail, by the report's resolution; {scene} names the post's scene.
REPORT_NOTICES = {
    Report.Resolution.POST_HIDDEN: Notice(
        "Your report on a post in “{scene}”: the post is hidden",
        "A moderator agreed and hid the post: readers no longer see it.",
    ),
    Report.Resolution.AUTHOR_SUSPENDED: Notice(
        "Your report on a post in “{scene}”: the post is hidden",
        "A moderator agreed: the post is hidden and its writer's account is suspended.",
    ),
    Report.Resolution.DISMISSED: Notice(
        "Your report on a post in “{scene}”: no action taken",
        "A moderator looked at the post and decided it can stay as it is.",
    ),
}
