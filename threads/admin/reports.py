"""Readers' reports in the admin: every report in a filterable list, and the open ones
grouped by post, where a moderator hides the post, dismisses the reports, or suspends the
author. Each reporter is told the outcome by e-mail."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Prefetch
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from threads import moderation
from threads.models import Post, Report, ReportedPost

from .common import admin_link, admin_url, ask_reason, decide_each, decide_one, safe_next
from .posts import PostCreditsMixin, ReviewPageMixin

OPEN = Report.Resolution.OPEN
OUTCOME_LABELS = {
    "hide": "Post hidden",
    "dismiss": "Reports dismissed",
    "suspend": "Author suspended and post hidden",
}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Every report, open or resolved. Decisions are made on the grouped page."""

    list_display = [
        "created_at",
        "reason",
        "reporter",
        "post_link",
        "short_note",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    list_filter = ["resolution", "reason"]
    search_fields = ["reporter__username", "note"]
    list_select_related = ["reporter", "resolved_by", "post__scene"]
    fields = [
        "post",
        "reporter",
        "reason",
        "note",
        "created_at",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    readonly_fields = fields
    ordering = ["-pk"]
    show_full_result_count = False

    @admin.display(description="post")
    def post_link(self, report):
        if report.resolution == OPEN:
            return admin_link(report.post, model_name="reportedpost")
        return admin_link(report.post, model_name="post")

    @admin.display(description="note")
    def short_note(self, report):
        return Truncator(report.note).chars(120)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _describe(post):
    return f"{moderation.describe(post)}, by {post.author} ({post.open_reports} open reports)"


@admin.register(ReportedPost)
class ReportedPostAdmin(PostCreditsMixin, ReviewPageMixin, admin.ModelAdmin):
    """Open reports, one row per post, oldest report first."""

    list_display = [
        "first_reported",
        "where",
        "written_by",
        "status",
        "excerpt",
        "open_reports",
        "report_list",
    ]
    list_display_links = ["first_reported"]
    search_fields = ["author__username", "scene__chapter__story__title"]
    actions = ["hide_posts", "dismiss_reports", "suspend_authors"]
    list_per_page = 50
    show_full_result_count = False

    def get_ordering(self, request):
        # An annotation, so it cannot be the checked ``ordering`` attribute.
        return ["first_reported_at", "pk"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("threads.resolve_report")

    def has_module_permission(self, request):
        return request.user.has_perm("threads.resolve_report")

    def has_resolve_permission(self, request):
        return request.user.has_perm("threads.resolve_report")

    def get_queryset(self, request):
        # Filtering on the open reports first makes the counts count only those.
        open_reports = Report.objects.filter(resolution=OPEN).select_related("reporter")
        # Not super(): it would order by the annotations before they exist.
        return (
            self.model._default_manager.filter(reports__resolution=OPEN)
            .annotate(open_reports=Count("reports"), first_reported_at=Min("reports__created_at"))
            .prefetch_related(Prefetch("reports", open_reports, to_attr="open_report_list"))
            .order_by(*self.get_ordering(request))
        )

    @admin.display(description="first reported", ordering="first_reported_at")
    def first_reported(self, post):
        return post.first_reported_at

    @admin.display(description="open reports", ordering="open_reports")
    def open_reports(self, post):
        return post.open_reports

    @admin.display(description="reports")
    def report_list(self, post):
        return format_html(
            '<ul class="rp-reports">{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong> by {}: {}</li>",
                (
                    (r.get_reason_display(), r.reporter, Truncator(r.note).chars(200) or "—")
                    for r in post.open_report_list
                ),
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        post = self.get_object(request, unquote(object_id))
        if post is None and object_id.isdigit() and Post.objects.filter(pk=object_id).exists():
            return redirect(reverse("admin:threads_post_change", args=[object_id]))
        if post is not None:
            extra_context = {
                "decisions": [],
                "open_reports": post.open_report_list,
                "resolve_url": reverse("admin:threads_reportedpost_resolve", args=[post.pk]),
                "can_resolve": self.has_resolve_permission(request),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        resolve = self.admin_site.admin_view(self.resolve_view)
        return [
            path("<int:pk>/resolve/", resolve, name="threads_reportedpost_resolve"),
            *super().get_urls(),
        ]

    def resolve_view(self, request, pk):
        """Resolve all open reports on one post, from its page's buttons."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_resolve_permission(request):
            raise PermissionDenied
        post = get_object_or_404(Post.objects.select_related("scene"), pk=pk)
        outcome = request.POST.get("outcome", "")
        if outcome not in moderation.OUTCOMES:
            return HttpResponseBadRequest("Unknown outcome.")
        reason = request.POST.get("reason", "")
        done = decide_one(
            request,
            lambda: moderation.resolve_reports(post, request.user, outcome, reason),
            f"{OUTCOME_LABELS[outcome]}: {moderation.describe(post)}. The reporters are told.",
        )
        if done:
            return redirect(reverse("admin:threads_reportedpost_changelist"))
        here = admin_url(post, model_name="reportedpost")
        return redirect(safe_next(request, "here", here))

    def _resolve_selected(self, request, queryset, outcome, reason=""):
        decide_each(
            request,
            queryset,
            lambda post: moderation.resolve_reports(post, request.user, outcome, reason),
            OUTCOME_LABELS[outcome],
        )

    @admin.action(description="Hide the posts (resolve reports)…", permissions=["resolve"])
    def hide_posts(self, request, queryset):
        reason = ask_reason(
            request,
            self,
            queryset,
            action="hide_posts",
            title="Hide reported posts",
            button="Hide these posts",
            describe=_describe,
        )
        if not isinstance(reason, str):
            return reason
        self._resolve_selected(request, queryset, "hide", reason)
        return None

    @admin.action(description="Dismiss the reports", permissions=["resolve"])
    def dismiss_reports(self, request, queryset):
        self._resolve_selected(request, queryset, "dismiss")

    @admin.action(description="Suspend the authors and hide the posts…", permissions=["resolve"])
    def suspend_authors(self, request, queryset):
        reason = ask_reason(
            request,
            self,
            queryset,
            action="suspend_authors",
            title="Suspend the authors of reported posts",
            button="Suspend and hide",
            describe=_describe,
        )
        if not isinstance(reason, str):
            return reason
        self._resolve_selected(request, queryset, "suspend", reason)
        return None
