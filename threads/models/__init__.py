from .characters import Character
from .moderation import ModerationAction, Report
from .posts import Post, Revision
from .proxies import PendingEdit, PendingPost, ReportedPost
from .stories import (
    ADULT_RATINGS,
    Chapter,
    ContentWarning,
    Membership,
    Participant,
    Rating,
    Scene,
    Story,
)
from .users import User

__all__ = [
    "ADULT_RATINGS",
    "Chapter",
    "Character",
    "Membership",
    "ModerationAction",
    "Participant",
    "PendingEdit",
    "PendingPost",
    "Post",
    "Rating",
    "Report",
    "ReportedPost",
    "Revision",
    "Scene",
    "Story",
    "User",
    "ContentWarning",
]
