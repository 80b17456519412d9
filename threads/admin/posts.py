"""Posts, revisions and the audit trail in the admin.

Every post has a review page: where it sits in the story, the post before it, the rendered
text, its revisions, reports and moderation history, and the decisions that fit its state.
Nobody edits a post's text here; moderators only decide.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst

from threads import moderation
from threads.models import ModerationAction, Post, Report, Revision
from threads.writing import frontier

from .common import (
    MODERATION_CSS,
    DecideOnlyMixin,
    DecideViewMixin,
    ModerationHistoryMixin,
    OneObjectPerRequestMixin,
    ReadOnlyInline,
    ViewOnlyMixin,
    admin_link,
    admin_url,
    decide_each,
    excerpt,
    moderation_history_url,
    needs_reason,
    word_diff,
)

S = Post.Status

# The decisions that fit a post's state: (value, button label, needs a reason). Those
# without a reason (go ahead) and those with one (turn down, take out) are shown apart.
REMOVE = ("remove", "Remove for good", True)
DECISIONS = {
    S.PENDING: [("approve", "Approve", False), ("reject", "Reject", True), REMOVE],
    S.APPROVED: [("hide", "Hide", True), REMOVE],
    S.REJECTED: [("restore", "Restore", False), REMOVE],
    S.WITHDRAWN: [],
    S.REMOVED: [],
}
POST_DECISIONS = {
    "approve": lambda post, moderator, reason: moderation.approve(post, moderator),
    "reject": moderation.reject,
    "restore": moderation.restore,
    "hide": moderation.hide,
    "remove": moderation.remove,
}
EDIT_DECISIONS = {
    "approve": lambda revision, moderator, reason: moderation.approve_edit(revision, moderator),
    "reject": moderation.reject_edit,
}
PAST_TENSE = {
    "approve": "approved",
    "reject": "rejected",
    "restore": "restored",
    "hide": "hidden",
    "remove": "removed",
}
# A post's related rows that its pages and messages name.
POST_RELATED = ["scene__chapter__story", "author", "character"]


def revision_state(revision):
    """What a revision is, in words. Its status alone misleads: "approved" only means
    "this became the post's text", so a pending post's first version would read
    "Approved"."""
    if revision.status == Revision.Status.PENDING:
        return "Edit awaiting approval"
    if revision.status == Revision.Status.REJECTED:
        return "Edit not approved"
    if revision.number == 1:
        return "As first posted"
    return "Edit that became the post's text"


def post_where(post):
    """Story, chapter, scene and number, on two lines."""
    chapter = post.scene.chapter
    return format_html(
        "{}<br>Chapter {} · {} · #{}", chapter.story, chapter.number, post.scene.title, post.number
    )


def post_written_by(post):
    if post.character_id:
        return format_html("{}<br>as {}", post.author, post.character)
    return format_html("{}<br>({})", post.author, post.get_kind_display().lower())


def describe_post(post):
    """A post on the page that asks for a reason before a bulk decision."""
    by = f" as {post.character}" if post.character_id else ""
    return f"{moderation.describe(post)} ({post.scene.chapter.story}), by {post.author}{by}"


@admin.action(description="Remove selected posts for good…", permissions=["moderate"])
@needs_reason("Remove posts for good", "Remove these posts for good", describe=describe_post)
def remove_selected(modeladmin, request, queryset, reason):
    """Takes spam or abuse out of its scene for good; the scene goes on without it."""
    decide_each(request, queryset, moderation.remove, "Posts removed", reason)


class PostCreditsMixin:
    """List columns naming where a post sits and who wrote it, from list_select_related."""

    list_select_related = POST_RELATED

    @admin.display(description="story")
    def story(self, post):
        return post.scene.chapter.story

    @admin.display(description="chapter")
    def chapter(self, post):
        return post.scene.chapter.number

    @admin.display(description="scene")
    def scene_title(self, post):
        return post.scene.title

    @admin.display(description="where")
    def where(self, post):
        return post_where(post)

    @admin.display(description="written by")
    def written_by(self, post):
        return post_written_by(post)

    @admin.display(description="post")
    def post_link(self, post):
        return admin_link(post, f"#{post.number}", model_name="post")

    @admin.display(description="excerpt")
    def excerpt(self, post):
        return format_html('<div class="rp-excerpt">{}</div>', excerpt(post.body_html))


def previous_post(post):
    """The post before this one that the scene's writers could see: what it answers."""
    return (
        Post.objects.filter(scene_id=post.scene_id, number__lt=post.number)
        .filter(status__in=[S.APPROVED, S.PENDING])
        .exclude(kind=Post.Kind.SKIP)
        .with_credits()
        .order_by("-number")
        .first()
    )


# What turning a post down does to the posts after it, by the post's state.
_HOLDS_BACK = {
    S.PENDING: (
        "rejecting it holds the rest of the scene back from readers until it is resubmitted "
        "and approved; removing it lets the scene go on without it."
    ),
    S.APPROVED: (
        "hiding it holds the rest of the scene back from readers; removing it lets the scene "
        "go on without it."
    ),
    S.REJECTED: (
        "while it stays rejected, the rest of the scene is held back from readers; removing "
        "it lets the scene go on without it."
    ),
}


def answered_note(count, status):
    """How many later posts answer a post, and what turning it down does to them."""
    if count == 0:
        answered = "No later post answers it yet"
    elif count == 1:
        answered = "1 later post answers it"
    else:
        answered = f"{count} later posts answer it"
    consequence = _HOLDS_BACK.get(status)
    return f"{answered}: {consequence}" if consequence else f"{answered}."


def next_in_queue(post):
    """The pending post after ``post`` in the queue's order (oldest first), else the oldest
    one still waiting, else None."""
    waiting = Post.objects.filter(status=S.PENDING).exclude(pk=post.pk).order_by("created_at", "pk")
    after = Q(created_at__gt=post.created_at) | Q(created_at=post.created_at, pk__gt=post.pk)
    return waiting.filter(after).first() or waiting.first()


def answers():
    """frontier.answers(post) as an annotation, so a list counts for every row in one query:
    the later live posts (pending or approved, OOC notes aside) in the same scene."""
    later = (
        Post.objects.filter(
            scene=OuterRef("scene"),
            number__gt=OuterRef("number"),
            status__in=frontier.LIVE_STATUSES,
        )
        .exclude(kind=Post.Kind.OUT_OF_CHARACTER)
        .order_by()
        .values("scene")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(later), 0)


def _answer_count(post):
    # Annotated by the review pages' queryset; the reported posts' page asks separately.
    count = getattr(post, "answered_by", None)
    return frontier.answers(post) if count is None else count


def review_context(request, post, next_url):
    """What the review page shows for one post, whichever admin it is opened from."""
    pending_edit = post.pending_edit()
    decisions = DECISIONS[post.status]
    refused = moderation.post_refusal(post, request.user)
    return {
        "post": post,
        "previous_post": previous_post(post),
        "answered_note": answered_note(_answer_count(post), post.status),
        "can_moderate": request.user.has_perm("threads.moderate_post") and not refused,
        "refused": refused,
        "decisions": decisions,
        "go_decisions": [d for d in decisions if not d[2]],
        "stop_decisions": [d for d in decisions if d[2]],
        "decide_url": reverse("admin:threads_post_decide", args=[post.pk]),
        "next_url": next_url,
        "pending_edit": pending_edit,
        "pending_edit_diff": word_diff(post.body, pending_edit.body) if pending_edit else "",
        "edit_decide_url": (
            reverse("admin:threads_revision_decide", args=[pending_edit.pk]) if pending_edit else ""
        ),
        "moderation_history_url": moderation_history_url(request, "post", post.pk),
    }


class ModerationActionInline(ReadOnlyInline):
    model = ModerationAction
    fk_name = "post"
    fields = ["created_at", "moderator", "action", "reason"]
    verbose_name_plural = "moderation history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")


class RevisionInline(ReadOnlyInline):
    """Each version of the text, linked to its own page with the changes it made (the text
    itself is on the review page once, not again here)."""

    model = Revision
    fields = ["number", "editor", "version", "created_at", "changes"]
    verbose_name_plural = "revisions"

    def get_queryset(self, request):
        # Each row is titled with str(revision), which names the post's scene.
        return super().get_queryset(request).select_related("editor", "post__scene")

    @admin.display(description="version")
    def version(self, revision):
        return revision_state(revision)

    @admin.display(description="changes")
    def changes(self, revision):
        return admin_link(revision, "show the changes", model_name="revision")


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reporter", "reason", "note", "resolution", "resolved_by"]
    verbose_name_plural = "reports"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("reporter", "resolved_by", "post__scene")
        )


class ReviewPageMixin(OneObjectPerRequestMixin, ModerationHistoryMixin, DecideOnlyMixin):
    """A read-only change page for a post with the review panel and decision buttons."""

    change_form_template = "admin/threads/post_review.html"
    inlines = [RevisionInline, ReportInline, ModerationActionInline]
    fields = [
        "number",
        "author",
        "character",
        "kind",
        "status",
        "moderation_reason",
        "created_at",
        "edited_at",
        "approved_at",
        "word_count",
    ]  # not "body": the review panel shows the text, rendered, once
    readonly_fields = fields

    class Media:
        css = MODERATION_CSS

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*POST_RELATED)
        return queryset.annotate(answered_by=answers())

    def review_next_url(self, request, post):
        """Where to go after a decision: back to this admin's list."""
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def review_extra_context(self, request, post):
        return review_context(request, post, self.review_next_url(request, post))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        post = self.get_object(request, unquote(object_id))
        if post is not None:
            extra_context = {**self.review_extra_context(request, post), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Post)
class PostAdmin(PostCreditsMixin, ReviewPageMixin, DecideViewMixin, admin.ModelAdmin):
    list_display = [
        "post_link",
        "story",
        "chapter",
        "scene_title",
        "author",
        "character",
        "kind",
        "status",
        "created_at",
    ]
    list_display_links = None
    list_filter = ["status", "kind"]
    actions = [remove_selected]
    search_fields = [
        "author__username",
        "character__name",
        "scene__title",
        "scene__chapter__story__title",
    ]
    raw_id_fields = ["scene", "author", "character"]
    ordering = ["-pk"]
    show_full_result_count = False
    # One decision on one post, from a review page's buttons.
    decide_url_name = "threads_post_decide"
    decide_permission = "threads.moderate_post"
    decide_select_related = ["scene"]
    decisions = POST_DECISIONS

    def review_next_url(self, request, post):
        return admin_url(post, model_name="post")

    def after_decision_url(self, request, post, done):
        # ``post`` is as it was before the decision: one that waited was decided from the
        # queue's point of view, so the moderator goes on to the next post waiting.
        if not done or post.status != S.PENDING:
            return super().after_decision_url(request, post, done)
        following = next_in_queue(post)
        if following is None:
            return reverse("admin:threads_pendingpost_changelist")
        return admin_url(following, model_name="pendingpost")

    def decided_message(self, post, decision):
        # capfirst, not str.capitalize(), which would lower-case the scene's title.
        return f"{capfirst(moderation.describe(post))} is {PAST_TENSE[decision]}."


@admin.register(Revision)
class RevisionAdmin(
    OneObjectPerRequestMixin,
    ModerationHistoryMixin,
    DecideOnlyMixin,
    DecideViewMixin,
    admin.ModelAdmin,
):
    list_display = ["__str__", "post_link", "editor", "version", "created_at"]
    list_filter = ["status"]
    search_fields = ["editor__username", "post__scene__title"]
    list_select_related = ["post__scene", "editor"]
    raw_id_fields = ["post", "editor"]
    fields = ["post", "number", "editor", "version", "created_at", "body"]
    readonly_fields = fields
    ordering = ["-pk"]
    show_full_result_count = False
    change_form_template = "admin/threads/edit_review.html"
    # Approve or reject one pending edit, from its page's buttons.
    decide_url_name = "threads_revision_decide"
    decide_permission = "threads.moderate_post"
    decide_select_related = ["post__scene"]
    decisions = EDIT_DECISIONS
    history_lookup = "revision"

    class Media:
        css = MODERATION_CSS

    @admin.display(description="post")
    def post_link(self, revision):
        return admin_link(revision.post, model_name="post")

    @admin.display(description="version", ordering="status")
    def version(self, revision):
        return revision_state(revision)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        if revision is not None:
            extra_context = {**edit_review_context(request, revision), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post__scene__chapter__story", "editor")

    def decided_message(self, revision, decision):
        return f"The edit of {moderation.describe(revision.post)} is {PAST_TENSE[decision]}."


def edit_review_context(request, revision, next_url=None):
    """A pending edit is compared with the approved text readers see now; any other
    revision with the one before it."""
    post = revision.post
    if revision.status == Revision.Status.PENDING:
        base, base_label = post.body, "the approved text readers see now"
    else:
        earlier = post.revisions.filter(number__lt=revision.number).order_by("-number").first()
        base = earlier.body if earlier else ""
        base_label = f"revision {earlier.number}" if earlier else "nothing (first version)"
    is_pending = post.pending_edit() == revision
    refused = moderation.post_refusal(post, request.user)
    return {
        "revision": revision,
        "post": post,
        "diff": word_diff(base, revision.body),
        "base_label": base_label,
        "can_moderate": (
            request.user.has_perm("threads.moderate_post") and is_pending and not refused
        ),
        "refused": refused if is_pending else "",
        "decide_url": reverse("admin:threads_revision_decide", args=[revision.pk]),
        "next_url": next_url or admin_url(post, model_name="post"),
        "previous_post": previous_post(post),
        "version": revision_state(revision),
        "moderation_history_url": moderation_history_url(request, "revision", revision.pk),
    }


@admin.register(ModerationAction)
class ModerationActionAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The audit trail: every decision, filterable, never edited."""

    list_display = ["created_at", "action", "moderator", "post_link", "subject", "short_reason"]
    list_filter = ["action", ("moderator", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "created_at"
    search_fields = ["moderator__username", "subject__username", "reason"]
    list_select_related = ["moderator", "subject", "post__scene"]
    fields = ["created_at", "moderator", "action", "post", "revision", "subject", "reason"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="post")
    def post_link(self, action):
        return admin_link(action.post, model_name="post")

    @admin.display(description="reason")
    def short_reason(self, action):
        return Truncator(action.reason).chars(120)
