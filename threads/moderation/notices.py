"""What the writer (or reporter) is told: each decision's e-mail subject, opening, the label
over the moderator's reason and the next step, printed by the e-mail templates."""

from dataclasses import dataclass

from django.conf import settings

from threads.lib.emails import send_after_commit
from threads.models import ModerationAction, Report
from threads.writing import frontier

Action = ModerationAction.Action


@dataclass(frozen=True)
class Notice:
    subject: str
    headline: str
    reason_label: str = "The moderator's reason"
    next_step: str = ""


def notice_words(notice, reason="", **names):
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


def tell_author(post, action, reason=""):
    author = post.author
    if not author.notify_on_moderation:
        return
    words = notice_words(
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


def tell_writer(user, action, reason=""):
    if user.notify_on_moderation:
        send_after_commit(user, "moderation_account", notice_words(ACCOUNT_NOTICES[action], reason))
