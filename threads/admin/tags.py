"""Tag wrangling for moderators, as Archive of Our Own does it: mark a tag canonical, make a
tag a synonym of a canonical one (its stories and characters retagged, nothing lost), and
merge a synonym's newer taggings. Each decision is threads.discovery.tags' and leaves a
TagDecision, listed read-only below, and a line in the admin's "Recent actions"."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.models import Tag

from threads.discovery import tags as wrangling
from threads.models import TagDecision, WrangledTag

from .common import REASON_MAX_LENGTH, decide_each


class WranglingFilter(admin.SimpleListFilter):
    title = "wrangling"
    parameter_name = "wrangled"

    def lookups(self, request, model_admin):
        return [("canonical", "Canonical"), ("synonym", "Synonyms"), ("none", "Not wrangled")]

    def queryset(self, request, queryset):
        if self.value() == "canonical":
            return queryset.filter(info__canonical=True)
        if self.value() == "synonym":
            return queryset.filter(info__synonym_of__isnull=False)
        if self.value() == "none":
            return queryset.exclude(info__canonical=True).filter(info__synonym_of__isnull=True)
        return queryset


class SynonymForm(forms.Form):
    canonical = forms.ModelChoiceField(
        label="Canonical tag",
        queryset=Tag.objects.filter(info__canonical=True).order_by("name"),
        help_text="The selected tags will mean this one. Only canonical tags are offered.",
    )
    reason = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(WrangledTag)
class WrangledTagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "wrangling", "uses")
    list_filter = (WranglingFilter,)
    search_fields = ("name", "slug")
    actions = ("mark_canonical", "unmark_canonical", "make_synonym", "merge_synonyms")
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("info__synonym_of")
            .annotate(uses=Count("taggit_taggeditem_items"))
        )

    @admin.display(description="wrangling")
    def wrangling(self, tag):
        info = getattr(tag, "info", None)
        if info is not None and info.synonym_of_id:
            return f"synonym of “{info.synonym_of.name}”"
        return "canonical" if info is not None and info.canonical else "—"

    @admin.display(description="tagged items", ordering="uses")
    def uses(self, tag):
        return tag.uses

    def has_add_permission(self, request):
        return False  # tags are made by tagging; renaming or deleting is taggit's own admin

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_wrangle_permission(self, request):
        return request.user.has_perm("threads.wrangle_tag")

    @admin.action(description="Mark canonical", permissions=["wrangle"])
    def mark_canonical(self, request, queryset):
        decide_each(request, queryset, wrangling.mark_canonical, "Tags marked canonical")

    @admin.action(description="Unmark canonical", permissions=["wrangle"])
    def unmark_canonical(self, request, queryset):
        decide_each(request, queryset, wrangling.unmark_canonical, "Tags unmarked canonical")

    @admin.action(
        description="Merge synonyms' taggings into their canonical tags", permissions=["wrangle"]
    )
    def merge_synonyms(self, request, queryset):
        decide_each(request, queryset, wrangling.merge_synonym, "Synonyms merged")

    @admin.action(description="Make synonyms of a canonical tag…", permissions=["wrangle"])
    def make_synonym(self, request, queryset):
        """A page asking for the canonical tag first; the selected tags become its synonyms
        and their stories and characters are retagged with it, in one transaction each."""
        form = SynonymForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return self._synonym_page(request, queryset, form)
        canonical, reason = form.cleaned_data["canonical"], form.cleaned_data["reason"]

        def decide(tag, moderator, reason):
            return wrangling.make_synonym(tag, canonical, moderator, reason)

        decide_each(request, queryset, decide, f"Made synonyms of “{canonical}”", reason)
        return None

    def _synonym_page(self, request, queryset, form):
        context = {
            **self.admin_site.each_context(request),
            "title": "Make synonyms of a canonical tag",
            "opts": self.model._meta,
            "form": form,
            "tags": list(queryset),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        if form.is_bound:
            messages.error(request, "Choose the canonical tag.")
        return TemplateResponse(request, "admin/threads/tag_synonym_form.html", context)


@admin.register(TagDecision)
class TagDecisionAdmin(admin.ModelAdmin):
    """The wrangling record: read, never written, here."""

    list_display = (
        "created_at",
        "action",
        "tag_name",
        "target_name",
        "taggings_moved",
        "moderator",
    )
    list_filter = ("action",)
    search_fields = ("tag_name", "target_name", "reason")
    list_select_related = ("moderator",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
