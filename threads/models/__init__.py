from .characters import Character
from .comments import Comment, CommentBlock, CommentReport, Mute, PendingComment  # noqa: F401
from .generations import SiteGeneration  # noqa: F401 - threads/views/pagecache.py
from .imports import Claim
from .library import Bookmark, Kudos, ReadingPosition  # noqa: F401 - threads.library
from .moderation import ModerationAction, Report
from .posts import Post, Revision
from .proxies import PendingEdit, PendingPost, ReportedPost
from .search import SearchEntry
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
from .subscriptions import Notification, Subscription  # noqa: F401 - threads.library
from .tags import TagDecision, TagInfo, WrangledTag  # noqa: F401 - threads.discovery.tags
from .users import User
from .visits import SceneVisit

__all__ = [
    "ADULT_RATINGS",
    "Chapter",
    "Character",
    "Claim",
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
    "SceneVisit",
    "SearchEntry",
    "Story",
    "User",
    "ContentWarning",
]
