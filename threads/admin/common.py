"""Pieces the moderation admins share: links, excerpts, diffs, the reason page, decisions."""

import copy
import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, strip_tags
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator

from threads import moderation
from threads.forms.moderation import REASON_MAX_LENGTH as REASON_MAX_LENGTH
from threads.forms.moderation import DecisionForm, ReasonForm
from threads.lib import diffs
from threads.moderation import ModerationError

MODERATION_CSS = {"all": ["css/moderation.css"]}


def admin_url(obj, view="change", model_name=None):
    model_name = model_name or obj._meta.model_name
    return reverse(f"admin:threads_{model_name}_{view}", args=[obj.pk])


def admin_link(obj, text=None, model_name=None):
    if obj is None:
        return "—"
    return format_html('<a href="{}">{}</a>', admin_url(obj, model_name=model_name), text or obj)


def is_pk(object_id):
    """Whether an id from a URL can be a primary key. str.isdigit() alone is true for "²"
    and other Unicode digits, which int() refuses."""
    return object_id.isascii() and object_id.isdigit()


def excerpt(html, chars=300):
    """Plain text of stored, rendered HTML, cut short. Escaped wherever it is printed, so
    no markup from a post can reach the admin page."""
    return Truncator(" ".join(strip_tags(html).split())).chars(chars)


def word_diff(old, new, context=None):
    """``old`` → ``new`` as the admin shows it: threads.lib.diffs, in a box. With
    ``context``, long unchanged runs keep only that many words around each change."""
    return format_html('<div class="rp-diff">{}</div>', diffs.diff_html(old, new, context))


def ask_reason(request, modeladmin, queryset, *, action, title, button, describe):
    """The page between choosing a bulk action and doing it, asking for a reason.

    Returns the reason once the moderator has given one, or the page to show. The page posts
    back to the changelist with the same action and selection (as Django's own delete
    confirmation does), plus the reason.
    """
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["reason"]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "items": [describe(obj) for obj in queryset],
        "selected": [obj.pk for obj in queryset],
        "action": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/threads/reason_form.html", context)


def needs_reason(title, button, describe):
    """Decorates a bulk action that needs a reason, ``method(self, request, queryset,
    reason)``: the moderator first gets the reason page (ask_reason), and the action runs
    once a reason is given. ``describe(obj)`` names each selected object on that page."""

    def decorate(method):
        @functools.wraps(method)
        def action(modeladmin, request, queryset):
            reason = ask_reason(
                request,
                modeladmin,
                queryset,
                action=method.__name__,
                title=title,
                button=button,
                describe=describe,
            )
            if not isinstance(reason, str):
                return reason
            method(modeladmin, request, queryset, reason)
            return None

        return action

    return decorate


def log_decisions(request, objects, message, reason=""):
    """Writes the admin's "Recent actions" (LogEntry) rows for decisions already made and
    recorded as ModerationActions: the audit trail stays the ModerationAction, this is the
    moderator's own trail on the admin index. Each row names the object's concrete model, so
    its link opens the model's page rather than a queue that no longer lists it."""
    if reason:
        message = f"{message} Reason: {reason.strip()}"
    concrete = [_as_concrete(obj) for obj in objects]
    if concrete:
        LogEntry.objects.log_actions(request.user.pk, concrete, CHANGE, message)


def _as_concrete(obj):
    # A proxy row (a queue's PendingPost) and its Post share every field: a shallow copy as
    # the concrete class keeps the related rows already read for str(obj).
    model = obj._meta.concrete_model
    if type(obj) is model:
        return obj
    concrete = copy.copy(obj)
    concrete.__class__ = model
    return concrete


def decide_each(request, queryset, decide, summary, *args):
    """Run ``decide(obj, moderator, *args)`` for each selected object: one summary message
    for the successes ("Posts approved: 3"), one message per refusal, and a note for selected
    rows that left the list meanwhile, so a moderator sees exactly what someone else got to
    first. Each success is logged for the admin's "Recent actions", with the reason, which
    every caller passes last in ``args`` when there is one."""
    objects = list(queryset)
    decided = []
    for obj in objects:
        try:
            decide(obj, request.user, *args)
        except ModerationError as error:
            messages.error(request, str(error))
        else:
            decided.append(obj)
    done = len(decided)
    if done:
        log_decisions(request, decided, f"{summary} (bulk action).", *args[-1:])
        messages.success(request, f"{summary}: {done}.")
    gone = len(set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))) - len(objects)
    if gone > 0 and request.POST.get("select_across") != "1":
        messages.warning(
            request,
            f"{gone} of the selected rows had already left this list: another moderator "
            "decided on them first.",
        )
    return done


def decide_one(request, decide, success):
    try:
        decide()
    except ModerationError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def safe_next(request, name, default):
    """A redirect target from the form, if it stays on this site."""
    target = request.POST.get(name, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class DecideViewMixin:
    """One decision on one object, posted by the buttons on its admin page to
    ``<pk>/<decide_route>/``. The posted ``decide_field`` picks the decision from
    ``decisions`` (value: function(obj, moderator, reason)); the moderator is told the
    outcome and sent on to ``next``, or back ``here`` when the decision was refused."""

    decide_url_name = ""  # the URL's name, e.g. "threads_post_decide"
    decide_route = "decide"
    decide_field = "decision"
    decide_permission = ""  # e.g. "threads.moderate_post"
    decide_select_related = ()  # what decided_message reads
    decisions = {}

    def decided_message(self, obj, decision):
        raise NotImplementedError

    def has_decide_permission(self, request):
        return request.user.has_perm(self.decide_permission)

    def get_urls(self):
        view = self.admin_site.admin_view(self.decide_view)
        route = path(f"<int:pk>/{self.decide_route}/", view, name=self.decide_url_name)
        return [route, *super().get_urls()]

    def decide_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        refusal = moderation.refusal(request.user, self.decide_permission)
        if refusal:
            raise PermissionDenied(refusal)
        objects = self.model._default_manager.select_related(*self.decide_select_related)
        obj = get_object_or_404(objects, pk=pk)
        form = DecisionForm(request.POST, self.decisions, self.decide_field)
        if not form.is_valid():
            return self.decision_form_page(request, obj, form)
        decision, reason = form.decision, form.cleaned_data["reason"]
        message = self.decided_message(obj, decision)
        done = decide_one(
            request, lambda: self.decisions[decision](obj, request.user, reason), message
        )
        if done:
            log_decisions(request, [obj], message, reason)
        return redirect(self.after_decision_url(request, obj, done))

    def after_decision_url(self, request, obj, done):
        here = admin_url(obj, model_name=self.model._meta.model_name)
        return safe_next(request, "next" if done else "here", here)

    def decision_form_page(self, request, obj, form):
        """A decision whose form did not validate: a decision this page does not offer is a
        bad request; a reason that cannot be kept (too long, a NUL character) comes back
        on a page of its own, with the moderator's text and the error, to send again."""
        if form.field_name in form.errors:
            return HttpResponseBadRequest(f"Unknown {self.decide_field}.")
        context = {
            **self.admin_site.each_context(request),
            "title": "Check the reason",
            "opts": self.model._meta,
            "object": obj,
            "form": form,
            "decide_field": self.decide_field,
            "decision": form.cleaned_data[form.field_name],
            "next": request.POST.get("next", ""),
            "here": request.POST.get("here", ""),
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/threads/decision_reason_form.html", context, status=400
        )


class LeftListMixin:
    """For an admin that lists only some rows of a model (a queue, the reported posts).

    A row someone else has just decided on leaves the list; its page then opens in the
    model's full admin, with ``left_list_message``, rather than as "does not exist"."""

    left_list_message = ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Any other id falls through to the admin's own "doesn't exist" redirect.
        if is_pk(object_id) and self.get_object(request, object_id) is None:
            opts = self.model._meta.concrete_model._meta
            if opts.model._default_manager.filter(pk=object_id).exists():
                messages.info(request, self.left_list_message)
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)
        return super().change_view(request, object_id, form_url, extra_context)


def moderation_history_url(request, lookup, pk):
    """The audit trail filtered to the actions on one object (``lookup``: the
    ModerationAction field pointing at it), or None for someone who may not see it."""
    if not request.user.has_perm("threads.view_moderationaction"):
        return None
    changelist = reverse("admin:threads_moderationaction_changelist")
    return f"{changelist}?{urlencode({f'{lookup}__id__exact': pk})}"


class ModerationHistoryMixin:
    """The admin's "History" lists LogEntry rows, which moderation never writes: decisions
    are recorded as ModerationActions. So "History" opens the audit trail for this object
    instead (the review templates label it "Moderation history")."""

    history_lookup = "post"  # the ModerationAction field pointing at this admin's objects

    def history_view(self, request, object_id, extra_context=None):
        if not is_pk(object_id):
            raise Http404
        url = moderation_history_url(request, self.history_lookup, object_id)
        if url is None:
            raise PermissionDenied
        return redirect(url)


class OneObjectPerRequestMixin:
    """The review panel, Django's change form and LeftListMixin each ask for the page's
    object: one query and one instance per request, so its related rows are read once."""

    def get_object(self, request, object_id, from_field=None):
        cache = request.__dict__.setdefault("_rp_admin_objects", {})
        key = (self.model, object_id, from_field)
        if key not in cache:
            cache[key] = super().get_object(request, object_id, from_field)
        return cache[key]


class ViewOnlyMixin:
    """Nothing is added, changed or deleted through this admin or inline: it is for looking.
    (``obj`` is optional because inlines pass it and ModelAdmin.has_add_permission does
    not.)"""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ViewOnlyMixin, admin.TabularInline):
    """An audit table on a page: shown, never edited."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class DecideOnlyMixin(ViewOnlyMixin):
    """An admin where nothing is added, edited or deleted: moderators only look and decide.

    Posts are created by the turn engine (numbers, counts); changing their text here would
    bypass review and the audit trail."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("threads.moderate_post")
