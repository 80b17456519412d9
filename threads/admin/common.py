"""Pieces the moderation admins share: links, excerpts, diffs, the reason page, decisions."""

import re
from difflib import SequenceMatcher

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from threads.moderation import ModerationError

MODERATION_CSS = {"all": ["css/moderation.css"]}


def admin_url(obj, view="change", model_name=None):
    model_name = model_name or obj._meta.model_name
    return reverse(f"admin:threads_{model_name}_{view}", args=[obj.pk])


def admin_link(obj, text=None, model_name=None):
    if obj is None:
        return "—"
    return format_html('<a href="{}">{}</a>', admin_url(obj, model_name=model_name), text or obj)


def excerpt(html, chars=300):
    """Plain text of stored, rendered HTML, cut short. Escaped wherever it is printed, so
    no markup from a post can reach the admin page."""
    return Truncator(" ".join(strip_tags(html).split())).chars(chars)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new, context=None):
    """``old`` → ``new`` word by word, as HTML with <del> and <ins>. Every piece of text is
    escaped. With ``context``, long unchanged runs keep only that many words around a
    change, so a one-word edit in a long post reads at a glance."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            parts.append(format_html("{}", _trim(a[i1:i2], context, first, last)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html('<div class="rp-diff">{}</div>', mark_safe("".join(parts)))  # noqa: S308


def _trim(tokens, context, first, last):
    # Tokens alternate words and white space: 2 * context tokens are about context words.
    if context is None or len(tokens) <= 4 * context:
        return "".join(tokens)
    head = "" if first else "".join(tokens[: 2 * context])
    tail = "" if last else "".join(tokens[-2 * context :])
    return f"{head} … {tail}"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        help_text="The writer reads this, so say what to change.",
    )


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


def decide_each(request, queryset, decide, summary):
    """Run ``decide(obj)`` for each selected object: one summary message for the successes
    ("Posts approved: 3"), one message per refusal, and a note for selected rows that left
    the list meanwhile, so a moderator sees exactly what someone else got to first."""
    objects = list(queryset)
    done = 0
    for obj in objects:
        try:
            decide(obj)
        except ModerationError as error:
            messages.error(request, str(error))
        else:
            done += 1
    if done:
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


def lines(pairs):
    """Rows of "label: value" for a read-only panel; values are escaped."""
    return format_html_join("", "<p><strong>{}:</strong> {}</p>", pairs)


class ReadOnlyInline(admin.TabularInline):
    """An audit table on a page: shown, never edited."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecideOnlyMixin:
    """An admin where nothing is added, edited or deleted: moderators only look and decide.

    Posts are created by the turn engine (numbers, counts); changing their text here would
    bypass review and the audit trail."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("threads.moderate_post")
