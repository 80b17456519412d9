"""The admin index tells moderators how much is waiting for them.

The site is Django's own AdminSite with one change: its index context carries the queue's
counts, which templates/admin/index.html shows above the model list. It replaces the default
site through ArchiveAdminConfig (threads/apps.py), so admin.site and @admin.register use it.

It lives beside threads/admin/ rather than in it: Django imports the default site while
the admin package is still registering its ModelAdmins, and a site class inside that package
would be created twice, the first copy taking every registration with it.
"""

from django.contrib import admin

from threads.models import Post, Report, Revision


def queue_counts(user):
    """How many posts, edits and reports wait, for the ones this user may decide on."""
    counts = {}
    if user.has_perm("threads.moderate_post"):
        counts["pending_posts"] = Post.objects.filter(status=Post.Status.PENDING).count()
        counts["pending_edits"] = Revision.objects.pending_edits().count()
    if user.has_perm("threads.resolve_report"):
        counts["open_reports"] = Report.objects.filter(resolution=Report.Resolution.OPEN).count()
    return {"moderation_counts": counts} if counts else {}


class ArchiveAdminSite(admin.AdminSite):
    """Django's admin, with the moderation queue's counts on its index page."""

    site_header = "RP Archive moderation"
    site_title = "RP Archive admin"
    index_title = "Moderation and site administration"

    def index(self, request, extra_context=None):
        context = {**queue_counts(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
