"""The admin: every model registered, and the moderators' workplace (the queue, reports,
trust and suspension). Importing the modules registers their ModelAdmins."""

from . import comments, content, posts, queue, reports, tags, users  # noqa: F401
