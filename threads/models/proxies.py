"""Proxy models that give the moderators' views their own pages in the admin.

They add no tables: each is a filtered view of posts or revisions (the filters are in the
ModelAdmins in threads/admin/). They carry no permissions of their own; their admins ask
for the moderation permissions instead (``default_permissions = ()``).
"""

from .posts import Post, Revision


class PendingPost(Post):
    """A post awaiting approval: the moderation queue."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "post awaiting approval"
        verbose_name_plural = "moderation queue: posts"


class PendingEdit(Revision):
    """An edit of an approved post, awaiting approval."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "edit awaiting approval"
        verbose_name_plural = "moderation queue: edits"


class ReportedPost(Post):
    """A post with open reports: the reports, grouped by post."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "reported post"
        verbose_name_plural = "reports by post"
