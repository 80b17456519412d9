from .characters import Character
from .moderation import ModerationAction, Report
from .posts import Post, Revision
from .stories import (
    ADULT_RATINGS,
    Chapter,
    Membership,
    Participant,
    Rating,
    Scene,
    Story,
    Warning,
)
from .users import User

__all__ = [
    "ADULT_RATINGS",
    "Chapter",
    "Character",
    "Membership",
    "ModerationAction",
    "Participant",
    "Post",
    "Rating",
    "Report",
    "Revision",
    "Scene",
    "Story",
    "User",
    "Warning",
]
