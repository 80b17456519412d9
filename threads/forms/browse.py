"""The readers' filters on the story list. Every field is optional; a value that is not one
of the choices is dropped, so a hand-edited URL still lists stories."""

from django import forms
from django.db.models import TextField
from django.db.models.functions import Cast

from threads.models import ContentWarning, Rating, Story

SORTS = {
    "updated": ("-updated_at", "-pk"),
    "words": ("-word_count", "-pk"),
    "title": ("title", "pk"),
    "new": ("-created_at", "-pk"),
}


class StoryFilterForm(forms.Form):
    tag = forms.SlugField(required=False, allow_unicode=True, widget=forms.HiddenInput)
    rating = forms.ChoiceField(required=False, choices=[("", "Any rating"), *Rating.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Story.Status.choices])
    exclude_warning = forms.ChoiceField(
        label="Leave out",
        required=False,
        choices=[
            ("", "Nothing"),
            *[c for c in ContentWarning.choices if c[0] not in ("none", "not_used")],
        ],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("updated", "Recently updated"),
            ("words", "Longest"),
            ("title", "Title"),
            ("new", "Newest"),
        ],
    )

    def filters(self):
        """The valid filters, as a dict; invalid values are simply not applied."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def apply(self, stories):
        chosen = self.filters()
        if "tag" in chosen:
            tagged = Story.objects.filter(tags__slug=chosen["tag"]).values("pk")
            stories = stories.filter(pk__in=tagged)
        if "rating" in chosen:
            stories = stories.filter(rating=chosen["rating"])
        if "status" in chosen:
            stories = stories.filter(status=chosen["status"])
        if "exclude_warning" in chosen:
            # Warnings are a JSON list of codes; matching the quoted code in its text form
            # works the same on SQLite and PostgreSQL.
            stories = stories.annotate(warnings_text=Cast("warnings", TextField())).exclude(
                warnings_text__contains=f'"{chosen["exclude_warning"]}"'
            )
        return stories.order_by(*SORTS[chosen.get("sort", "updated")])
