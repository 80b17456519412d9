"""Writers in the admin: Django's user admin, plus trust and suspension.

Trust and suspension change only through the actions and buttons here, which go through
threads.moderation, so every change is audited and the writer is told.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse

from threads import moderation
from threads.models import ModerationAction, User

from .common import (
    MODERATION_CSS,
    DecideViewMixin,
    ReadOnlyInline,
    admin_link,
    decide_each,
    needs_reason,
)

USER_DECISIONS = {
    "trust": lambda user, moderator, reason: moderation.set_trusted(user, moderator, True),
    "untrust": lambda user, moderator, reason: moderation.set_trusted(user, moderator, False),
    "suspend": moderation.suspend,
    "unsuspend": moderation.unsuspend,
}
# How the outcome reads for one writer ("mira is suspended.") and for several.
DONE = {
    "trust": "is trusted now",
    "untrust": "is no longer trusted",
    "suspend": "is suspended",
    "unsuspend": "is no longer suspended",
}
DONE_SELECTED = {
    "trust": "Writers trusted",
    "untrust": "Writers no longer trusted",
    "suspend": "Writers suspended",
    "unsuspend": "Writers unsuspended",
}


def _describe_writer(writer):
    return f"{writer} ({writer.name}, {writer.email or 'no e-mail'})"


class DecisionsAboutInline(ReadOnlyInline):
    model = ModerationAction
    fk_name = "subject"
    fields = ["created_at", "moderator", "action", "post_link", "reason"]
    verbose_name_plural = "moderation history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator", "post__scene")

    @admin.display(description="post")
    def post_link(self, action):
        return admin_link(action.post, model_name="post")


@admin.register(User)
class UserAdmin(DecideViewMixin, DjangoUserAdmin):
    list_display = [
        "username",
        "display_name",
        "email",
        "is_trusted",
        "suspended",
        "is_staff",
        "date_joined",
    ]
    list_filter = [
        "is_trusted",
        ("suspended_at", admin.EmptyFieldListFilter),
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
    ]
    search_fields = ["username", "display_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Writer", {"fields": ["display_name", "pronouns", "bio"]}),
        ("Moderation", {"fields": ["is_trusted", "suspended_at", "suspension_reason"]}),
        (
            "E-mail",
            {"fields": ["notify_on_turn", "notify_on_invitation", "notify_on_moderation"]},
        ),
    )
    readonly_fields = ["is_trusted", "suspended_at", "suspension_reason", "last_login"]
    actions = ["trust", "untrust", "suspend", "unsuspend"]
    change_form_template = "admin/threads/user_review.html"
    ordering = ["username"]
    show_full_result_count = False
    # Trust, untrust, suspend or unsuspend one writer, from their page's buttons.
    decide_url_name = "threads_user_decide"
    decide_permission = "threads.moderate_user"
    decisions = USER_DECISIONS

    class Media:
        css = MODERATION_CSS

    @admin.display(description="suspended", boolean=True, ordering="suspended_at")
    def suspended(self, user):
        return user.is_suspended

    def get_inlines(self, request, obj):
        return [DecisionsAboutInline] if obj is not None else []

    def has_moderate_user_permission(self, request):
        return self.has_decide_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        writer = self.get_object(request, unquote(object_id))
        if writer is not None:
            refused = moderation.account_refusal(writer, request.user)
            extra_context = {
                "writer": writer,
                "can_moderate_user": self.has_moderate_user_permission(request) and not refused,
                "refused": refused,
                "user_decide_url": reverse("admin:threads_user_decide", args=[writer.pk]),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def decided_message(self, writer, decision):
        return f"{writer} {DONE[decision]}."

    def _decide_selected(self, request, queryset, decision, reason=""):
        decide = USER_DECISIONS[decision]
        decide_each(request, queryset, decide, DONE_SELECTED[decision], reason)

    @admin.action(description="Trust: their posts need no approval", permissions=["moderate_user"])
    def trust(self, request, queryset):
        self._decide_selected(request, queryset, "trust")

    @admin.action(description="Untrust: their posts wait again", permissions=["moderate_user"])
    def untrust(self, request, queryset):
        self._decide_selected(request, queryset, "untrust")

    @admin.action(description="Suspend selected writers…", permissions=["moderate_user"])
    @needs_reason("Suspend writers", "Suspend these writers", describe=_describe_writer)
    def suspend(self, request, queryset, reason):
        self._decide_selected(request, queryset, "suspend", reason)

    @admin.action(description="Unsuspend selected writers", permissions=["moderate_user"])
    def unsuspend(self, request, queryset):
        self._decide_selected(request, queryset, "unsuspend")
