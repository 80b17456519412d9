"""The admin index tells moderators how much is waiting for them.

The site is Django's own AdminSite with two changes: its index context carries the queue's
counts, which templates/admin/index.html shows above the model list, and with
RP_ADMIN_REQUIRE_2FA on it lets in only sessions verified by a TOTP code. It replaces the default
site through ArchiveAdminConfig (threads/apps.py), so admin.site and @admin.register use it.

It lives beside threads/admin/ rather than in it: Django imports the default site while
the admin package is still registering its ModelAdmins, and a site class inside that package
would be created twice, the first copy taking every registration with it.
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

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
    """Django's admin, with the moderation queue's counts on its index page, and a second
    factor when the site requires one."""

    site_header = "RP Archive moderation"
    site_title = "RP Archive admin"
    index_title = "Moderation and site administration"

    def has_permission(self, request):
        """Staff, as Django asks, and with RP_ADMIN_REQUIRE_2FA a session verified by a
        TOTP code (django-otp's OTPAdminSite rule, kept on our own site)."""
        return super().has_permission(request) and self._second_factor_ok(request)

    def _second_factor_ok(self, request):
        if not settings.RP_ADMIN_REQUIRE_2FA:
            return True
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified())

    def login(self, request, extra_context=None):
        """Staff signed in but not verified are sent for a code instead of the password
        form, which could only tell them they may not enter."""
        user = request.user
        if user.is_active and user.is_staff and not self._second_factor_ok(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        context = {**queue_counts(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
