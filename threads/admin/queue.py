"""The moderation queue: posts and edits awaiting approval, oldest first.

Each row shows where the post sits, who wrote it as whom, an excerpt, and the post before it
for context (or, for an edit, a diff against the approved text), so most decisions can be
made from the list with the bulk actions.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from threads import moderation
from threads.models import PendingEdit, PendingPost, Post, Revision

from .common import (
    MODERATION_CSS,
    DecideOnlyMixin,
    admin_url,
    ask_reason,
    decide_each,
    excerpt,
    word_diff,
)
from .posts import PostCreditsMixin, ReviewPageMixin, edit_review_context


def _describe_post(post):
    by = f" as {post.character}" if post.character_id else ""
    return f"{moderation.describe(post)} ({post.scene.chapter.story}), by {post.author}{by}"


class ModeratorsOnlyMixin:
    """The queue is for whoever may decide on posts, whatever else they may see."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("threads.moderate_post")

    def has_module_permission(self, request):
        return request.user.has_perm("threads.moderate_post")


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
class PendingPostAdmin(ModeratorsOnlyMixin, PostCreditsMixin, ReviewPageMixin, admin.ModelAdmin):
    list_display = ["waiting_since", "where", "written_by", "excerpt", "context"]
    list_display_links = ["waiting_since"]
    search_fields = ["author__username", "character__name", "scene__chapter__story__title"]
    ordering = ["created_at", "pk"]
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = MODERATION_CSS

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

    @admin.display(description="waiting since", ordering="created_at")
    def waiting_since(self, post):
        return post.created_at

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A post someone else has just decided on has left the queue: show it where it is.
        if self.get_object(request, unquote(object_id)) is None:
            post = Post.objects.filter(pk=object_id).first() if object_id.isdigit() else None
            if post is not None:
                messages.info(request, "This post is no longer waiting for approval.")
                return redirect(admin_url(post, model_name="post"))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Approve selected posts", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        decide_each(
            request,
            queryset,
            lambda post: moderation.approve(post, request.user),
            "Posts approved",
        )

    @admin.action(description="Reject selected posts…", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        reason = ask_reason(
            request,
            self,
            queryset,
            action="reject_selected",
            title="Reject posts",
            button="Reject these posts",
            describe=_describe_post,
        )
        if not isinstance(reason, str):
            return reason
        decide_each(
            request,
            queryset,
            lambda post: moderation.reject(post, request.user, reason),
            "Posts rejected",
        )
        return None


@admin.register(PendingEdit)
class PendingEditAdmin(ModeratorsOnlyMixin, DecideOnlyMixin, admin.ModelAdmin):
    list_display = ["waiting_since", "where", "written_by", "changes"]
    list_select_related = ["post__scene__chapter__story", "post__author", "post__character"]
    list_display_links = ["waiting_since"]
    search_fields = ["editor__username", "post__scene__chapter__story__title"]
    ordering = ["created_at", "pk"]
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/threads/edit_review.html"
    fields = ["post", "number", "editor", "status", "created_at", "body"]
    readonly_fields = fields

    class Media:
        css = MODERATION_CSS

    def get_queryset(self, request):
        newer = Revision.objects.filter(post=OuterRef("post"), number__gt=OuterRef("number"))
        return (
            super()
            .get_queryset(request)
            .filter(status=Revision.Status.PENDING, post__status=Post.Status.APPROVED)
            .exclude(Exists(newer))
            .select_related(*self.list_select_related)
        )

    @admin.display(description="waiting since", ordering="created_at")
    def waiting_since(self, revision):
        return revision.created_at

    @admin.display(description="where")
    def where(self, revision):
        return PostCreditsMixin.where(self, revision.post)

    @admin.display(description="written by")
    def written_by(self, revision):
        return PostCreditsMixin.written_by(self, revision.post)

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

    @admin.action(description="Approve selected edits", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        decide_each(
            request,
            queryset,
            lambda revision: moderation.approve_edit(revision, request.user),
            "Edits approved",
        )

    @admin.action(description="Reject selected edits…", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        reason = ask_reason(
            request,
            self,
            queryset,
            action="reject_selected",
            title="Reject edits",
            button="Reject these edits",
            describe=lambda revision: f"The edit of {_describe_post(revision.post)}",
        )
        if not isinstance(reason, str):
            return reason
        decide_each(
            request,
            queryset,
            lambda revision: moderation.reject_edit(revision, request.user, reason),
            "Edits rejected",
        )
        return None
