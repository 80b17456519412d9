"""The moderation queue: posts and edits awaiting approval, oldest first.

Each row shows where the post sits, who wrote it as whom, an excerpt, and the post before it
for context (or, for an edit, a diff against the approved text), so most decisions can be
made from the list with the bulk actions.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from threads import moderation
from threads.models import PendingEdit, PendingPost, Post

from .common import (
    MODERATION_CSS,
    DecideOnlyMixin,
    LeftListMixin,
    ModerationHistoryMixin,
    OneObjectPerRequestMixin,
    decide_each,
    excerpt,
    needs_reason,
    word_diff,
)
from .posts import (
    PostCreditsMixin,
    ReviewPageMixin,
    answered_note,
    describe_post,
    edit_review_context,
    post_where,
    post_written_by,
    remove_selected,
    revision_state,
)


def _describe_edit(revision):
    return f"The edit of {describe_post(revision.post)}"


def queue_actions(noun, approve, reject, describe):
    """A queue's two bulk actions, approve_selected and reject_selected, for its rows
    ("posts", "edits"): ``approve(obj, moderator)`` and ``reject(obj, moderator, reason)``
    decide on one row, and ``describe(obj)`` names it on the page that asks for a reason."""

    @admin.action(description=f"Approve selected {noun}", permissions=["moderate"])
    def approve_selected(modeladmin, request, queryset):
        decide_each(request, queryset, approve, f"{capfirst(noun)} approved")

    @admin.action(description=f"Reject selected {noun}…", permissions=["moderate"])
    @needs_reason(f"Reject {noun}", f"Reject these {noun}", describe=describe)
    def reject_selected(modeladmin, request, queryset, reason):
        decide_each(request, queryset, reject, f"{capfirst(noun)} rejected", reason)

    return approve_selected, reject_selected


class QueueMixin(LeftListMixin):
    """What both queues share: oldest first, for whoever may decide on posts (whatever else
    they may see), with the bulk actions from queue_actions."""

    ordering = ["created_at", "pk"]
    list_display_links = ["waiting_since"]
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("threads.moderate_post")

    def has_module_permission(self, request):
        return request.user.has_perm("threads.moderate_post")

    @admin.display(description="waiting since", ordering="created_at")
    def waiting_since(self, obj):
        return obj.created_at


def _previous(field):
    """One field of the post before this one in its scene (as members saw it)."""
    earlier = (
        Post.objects.filter(
            scene=OuterRef("scene"),
            number__lt=OuterRef("number"),
            status__in=[Post.Status.APPROVED, Post.Status.PENDING],
        )
        .exclude(kind=Post.Kind.SKIP)
        .order_by("-number")
    )
    return Subquery(earlier.values(field)[:1])


@admin.register(PendingPost)
class PendingPostAdmin(QueueMixin, PostCreditsMixin, ReviewPageMixin, admin.ModelAdmin):
    list_display = ["waiting_since", "where", "written_by", "excerpt", "context", "answered"]
    search_fields = ["author__username", "character__name", "scene__chapter__story__title"]
    actions = ["approve_selected", "reject_selected", remove_selected]
    approve_selected, reject_selected = queue_actions(
        "posts", moderation.approve, moderation.reject, describe=describe_post
    )
    left_list_message = "This post is no longer waiting for approval."

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=Post.Status.PENDING)
            .annotate(
                previous_html=_previous("body_html"),
                previous_character=_previous("character__name"),
                previous_author=_previous("author__username"),
            )
        )

    @admin.display(description="answered by", ordering="answered_by")
    def answered(self, post):
        return format_html(
            '<div class="rp-answered">{}</div>', answered_note(post.answered_by, post.status)
        )

    @admin.display(description="the post before it")
    def context(self, post):
        if post.previous_html is None:
            return "— (first post of the scene)"
        who = post.previous_character or "narration"
        return format_html(
            '<div class="rp-context"><strong>{} · {}</strong> {}</div>',
            who,
            post.previous_author,
            excerpt(post.previous_html, 200),
        )


@admin.register(PendingEdit)
class PendingEditAdmin(
    QueueMixin, OneObjectPerRequestMixin, ModerationHistoryMixin, DecideOnlyMixin, admin.ModelAdmin
):
    list_display = ["waiting_since", "where", "written_by", "changes"]
    list_select_related = ["post__scene__chapter__story", "post__author", "post__character"]
    search_fields = ["editor__username", "post__scene__chapter__story__title"]
    approve_selected, reject_selected = queue_actions(
        "edits", moderation.approve_edit, moderation.reject_edit, describe=_describe_edit
    )
    change_form_template = "admin/threads/edit_review.html"
    fields = ["post", "number", "editor", "version", "created_at", "body"]
    readonly_fields = fields
    left_list_message = (
        "This edit is no longer waiting for approval: it was decided on, or the writer has "
        "edited the post again since."
    )
    history_lookup = "revision"

    class Media:
        css = MODERATION_CSS

    def get_queryset(self, request):
        edits = super().get_queryset(request).pending_edits()
        return edits.select_related(*self.list_select_related)

    @admin.display(description="where")
    def where(self, revision):
        return post_where(revision.post)

    @admin.display(description="version")
    def version(self, revision):
        return revision_state(revision)

    @admin.display(description="written by")
    def written_by(self, revision):
        return post_written_by(revision.post)

    @admin.display(description="changes against the approved text")
    def changes(self, revision):
        return word_diff(revision.post.body, revision.body, context=10)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        if revision is None:
            return super().change_view(request, object_id, form_url, extra_context)
        queue = reverse("admin:threads_pendingedit_changelist")
        extra_context = {**edit_review_context(request, revision, queue), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)
