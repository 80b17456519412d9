"""Moderation: which posts wait for a moderator, and the decisions on them.

Each decision is one plain function. It runs in a transaction that locks the post (or user)
row, checks the state again under that lock, makes the change, writes one ModerationAction
and queues one e-mail to go out after commit. When the decision no longer fits (another
moderator was faster, the writer withdrew the post) it raises ModerationError with a message
for the moderator, and nothing is written or sent.

- ``rules``: who may decide on what, the Moderators group, which posts wait;
- ``posts``: decisions on posts and edits; ``reports``: readers' reports; ``writers``: trust
  and suspension;
- ``steps``: what every decision shares; ``notices``: what the writer is told.
"""

from .notices import ACCOUNT_NOTICES, POST_NOTICES, REPORT_NOTICES, Notice
from .posts import approve, approve_edit, hide, reject, reject_edit, remove, restore
from .reports import OUTCOMES, resolve_reports
from .rules import (
    MODERATOR_PERMISSIONS,
    MODERATORS_GROUP,
    ModerationError,
    account_refusal,
    describe,
    moderators_group,
    needs_review,
    post_refusal,
    refusal,
)
from .writers import set_trusted, suspend, unsuspend

__all__ = [
    "ACCOUNT_NOTICES",
    "MODERATORS_GROUP",
    "MODERATOR_PERMISSIONS",
    "OUTCOMES",
    "POST_NOTICES",
    "REPORT_NOTICES",
    "ModerationError",
    "Notice",
    "account_refusal",
    "approve",
    "approve_edit",
    "describe",
    "hide",
    "moderators_group",
    "needs_review",
    "post_refusal",
    "refusal",
    "reject",
    "reject_edit",
    "remove",
    "resolve_reports",
    "restore",
    "set_trusted",
    "suspend",
    "unsuspend",
]
