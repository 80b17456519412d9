"""Readers' reports in the admin: every report in a filterable list, and the open ones
grouped by post, where a moderator hides the post, dismisses the reports, or suspends the
author. Each reporter is told the outcome by e-mail, unless they turned off e-mails about
moderators' decisions."""

from django.contrib import admin
from django.db.models import Count, Min, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from threads import moderation
from threads.models import Report, ReportedPost

from .common import (
    DecideViewMixin,
    LeftListMixin,
    ViewOnlyMixin,
    admin_link,
    decide_each,
    needs_reason,
)
from .posts import POST_RELATED, PostCreditsMixin, ReviewPageMixin

OPEN = Report.Resolution.OPEN
OUTCOME_LABELS = {
    "hide": "Post hidden",
    "dismiss": "Reports dismissed",
    "suspend": "Author suspended and post hidden",
}


def _resolving_as(outcome):
    return lambda post, moderator, reason: moderation.resolve_reports(
        post, moderator, outcome, reason
    )


RESOLUTIONS = {outcome: _resolving_as(outcome) for outcome in moderation.OUTCOMES}


@admin.register(Report)
class ReportAdmin(ViewOnlyMixin, admin.ModelAdmin):
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


def _describe(post):
    return f"{moderation.describe(post)}, by {post.author} ({post.open_reports} open reports)"


@admin.register(ReportedPost)
class ReportedPostAdmin(
    LeftListMixin, PostCreditsMixin, ReviewPageMixin, DecideViewMixin, admin.ModelAdmin
):
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
    left_list_message = "This post has no open reports any more."
    # Resolve all open reports on one post, from its page's buttons.
    decide_url_name = "threads_reportedpost_resolve"
    decide_route = "resolve"
    decide_field = "outcome"
    decide_permission = "threads.resolve_report"
    decide_select_related = ["scene"]
    decisions = RESOLUTIONS

    def get_ordering(self, request):
        # An annotation, so it cannot be the checked ``ordering`` attribute.
        return ["first_reported_at", "pk"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("threads.resolve_report")

    def has_module_permission(self, request):
        return request.user.has_perm("threads.resolve_report")

    def has_resolve_permission(self, request):
        return self.has_decide_permission(request)

    def get_queryset(self, request):
        # Filtering on the open reports first makes the counts count only those.
        open_reports = Report.objects.filter(resolution=OPEN).select_related("reporter")
        # Not super(): it would order by the annotations before they exist.
        return (
            self.model._default_manager.filter(reports__resolution=OPEN)
            .select_related(*POST_RELATED)
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

    def review_extra_context(self, request, post):
        return {
            **super().review_extra_context(request, post),
            "decisions": [],  # decisions here resolve the reports: see the form below them
            "open_reports": post.open_report_list,
            "resolve_url": reverse("admin:threads_reportedpost_resolve", args=[post.pk]),
            "can_resolve": (
                self.has_resolve_permission(request)
                and not moderation.post_refusal(post, request.user)
            ),
        }

    def decided_message(self, post, outcome):
        return (
            f"{OUTCOME_LABELS[outcome]}: {moderation.describe(post)}. The reporters are told "
            "by e-mail, unless they turned such e-mails off."
        )

    def after_decision_url(self, request, post, done):
        # Once resolved, the post has left this list: on to the next one.
        if done:
            return reverse("admin:threads_reportedpost_changelist")
        return super().after_decision_url(request, post, done)

    @admin.action(description="Hide the posts (resolve reports)…", permissions=["resolve"])
    @needs_reason("Hide reported posts", "Hide these posts", describe=_describe)
    def hide_posts(self, request, queryset, reason):
        self._resolve_selected(request, queryset, "hide", reason)

    @admin.action(description="Dismiss the reports", permissions=["resolve"])
    def dismiss_reports(self, request, queryset):
        self._resolve_selected(request, queryset, "dismiss")

    @admin.action(description="Suspend the authors and hide the posts…", permissions=["resolve"])
    @needs_reason("Suspend the authors of reported posts", "Suspend and hide", describe=_describe)
    def suspend_authors(self, request, queryset, reason):
        self._resolve_selected(request, queryset, "suspend", reason)

    def _resolve_selected(self, request, queryset, outcome, reason=""):
        summary = OUTCOME_LABELS[outcome]
        decide_each(request, queryset, moderation.resolve_reports, summary, outcome, reason)
