"""Comments in the admin: the queue of comments awaiting approval, every comment (to hide or
restore one), and readers' reports on comments. Every decision goes through
threads.library.comments, which records it and tells the commenter."""

from django.contrib import admin
from django.utils.html import format_html

from threads.library import comments
from threads.models import Comment, CommentReport, PendingComment

from .common import MODERATION_CSS, ViewOnlyMixin, decide_each, excerpt, needs_reason


def _describe(comment):
    return f"Comment #{comment.pk} by {comment.author} on “{comment.chapter.title}”"


def _describe_report(report):
    return _describe(report.comment)


class CommentModeratorsOnly(ViewOnlyMixin):
    """Only comment moderators see these pages and may use their actions."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(comments.PERMISSION)

    def has_module_permission(self, request):
        return request.user.has_perm(comments.PERMISSION)

    def has_moderate_permission(self, request):
        return request.user.has_perm(comments.PERMISSION)


class CommentListMixin(CommentModeratorsOnly):
    """Moderators look and decide; nobody edits a reader's words here."""

    list_select_related = ["author", "chapter__story"]
    search_fields = ["author__username", "chapter__story__title", "body"]
    readonly_fields = ["chapter", "author", "parent", "status", "moderation_reason", "created_at"]
    fields = [*readonly_fields, "text"]
    list_per_page = 50

    class Media:
        css = MODERATION_CSS

    @admin.display(description="story and chapter")
    def where(self, comment):
        return f"{comment.chapter.story.title} — {comment.chapter.number}. {comment.chapter.title}"

    @admin.display(description="text")
    def text(self, comment):
        return format_html('<div class="rp-context">{}</div>', excerpt(comment.body_html, 600))

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        decide_each(request, queryset, comments.approve, "Comments approved")

    @admin.action(description="Reject selected comments…", permissions=["moderate"])
    @needs_reason("Reject comments", "Reject these comments", describe=_describe)
    def reject_selected(self, request, queryset, reason):
        decide_each(request, queryset, comments.reject, "Comments rejected", reason)

    @admin.action(description="Hide selected comments…", permissions=["moderate"])
    @needs_reason("Hide comments", "Hide these comments", describe=_describe)
    def hide_selected(self, request, queryset, reason):
        decide_each(request, queryset, comments.hide, "Comments hidden", reason)

    @admin.action(description="Restore selected comments", permissions=["moderate"])
    def restore_selected(self, request, queryset):
        decide_each(request, queryset, comments.restore, "Comments restored")


@admin.register(PendingComment)
class PendingCommentAdmin(CommentListMixin, admin.ModelAdmin):
    list_display = ["created_at", "author", "where", "text"]
    ordering = ["created_at", "pk"]
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Comment.Status.PENDING)


@admin.register(Comment)
class CommentAdmin(CommentListMixin, admin.ModelAdmin):
    list_display = ["created_at", "author", "where", "status", "text"]
    list_filter = ["status"]
    ordering = ["-created_at"]
    actions = ["hide_selected", "restore_selected"]


@admin.register(CommentReport)
class CommentReportAdmin(CommentModeratorsOnly, admin.ModelAdmin):
    list_display = ["created_at", "reason", "reporter", "comment_text", "resolution"]
    list_filter = ["resolution", "reason"]
    list_select_related = ["reporter", "comment__author", "comment__chapter__story"]
    readonly_fields = ["comment", "reporter", "reason", "note", "resolution", "created_at"]
    actions = ["hide_reported", "dismiss_reported"]

    @admin.display(description="comment")
    def comment_text(self, report):
        return format_html(
            "<strong>{}</strong> {}", report.comment.author, excerpt(report.comment.body_html, 200)
        )

    def _each_comment(self, request, queryset, outcome, summary, reason=""):
        reported = {report.comment for report in queryset.filter(resolution="open")}
        decide_each(
            request,
            Comment.objects.filter(pk__in=[c.pk for c in reported]),
            lambda comment, moderator, *args: comments.resolve_reports(
                comment, moderator, outcome, *args
            ),
            summary,
            *([reason] if reason else []),
        )

    @admin.action(description="Hide the reported comments…", permissions=["moderate"])
    @needs_reason("Hide reported comments", "Hide these comments", describe=_describe_report)
    def hide_reported(self, request, queryset, reason):
        self._each_comment(request, queryset, "hide", "Reported comments hidden", reason)

    @admin.action(description="Dismiss the reports", permissions=["moderate"])
    def dismiss_reported(self, request, queryset):
        self._each_comment(request, queryset, "dismiss", "Reports dismissed")
