"""The readers' filters on the story list. Every field is optional and lives in the query
string, so any view of the list can be linked; a value that is not one of the choices is
dropped, so a hand-edited URL still lists stories.

On PostgreSQL each filter narrows through an index or is tested on the rows one picked: tags
through taggit's tag index (a synonym and its canonical tag as one, threads.discovery.tags),
the rest through the story indexes named in Story.Meta; a warning left out is a ``@>`` test
on each row those picked (no index finds the stories *without* a warning)."""

from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils.choices import BaseChoiceIterator
from django.utils.text import slugify

from threads.discovery import tags
from threads.forms import widgets
from threads.models import Character, ContentWarning, Membership, Participant, Rating, Story

SORTS = {
    "updated": ("-updated_at", "-pk"),
    "new": ("-created_at", "-pk"),
    "words": ("-word_count", "-pk"),
    "title": ("title", "pk"),
    "kudos": ("-kudos_count", "-updated_at", "-pk"),
}
MAX_WORDS = 100_000_000


class TagListInput(widgets.TextInput):
    """A comma-separated text input that also reads repeated parameters (?tag=a&tag=b), as
    the tag links on story cards add them. Suggestions come from tag-suggest.js."""

    def __init__(self):
        super().__init__(attrs={"data-tag-suggest": "", "autocomplete": "off"})

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return ", ".join(value for value in values if value)


def _tag_field(label, help_text):
    return forms.CharField(
        label=label, required=False, max_length=1000, widget=TagListInput(), help_text=help_text
    )


def _words_field(label):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=MAX_WORDS, widget=widgets.NumberInput
    )


def _text_field(label, max_length):
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=widgets.TextInput
    )


class _FixedChoices(BaseChoiceIterator):
    """Choices written in code, shared by every form. Django deep-copies a list of choices
    into each form it makes (a hundred languages, at every request of the story list), and
    normalizes a callable's again each time they are read; these are read as they are."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)

    def __deepcopy__(self, memo):
        return self


def _choice_field(choices):
    return forms.ChoiceField(required=False, choices=_FixedChoices(choices), widget=widgets.Select)


class StoryFilterForm(forms.Form):
    tag = _tag_field("With tags", "Stories with all of these, separated by commas.")
    exclude_tag = _tag_field("Without tags", "Stories with none of these.")
    rating = _choice_field([("", "Any rating"), *Rating.choices])
    exclude_warning = forms.MultipleChoiceField(
        label="Leave out stories warning of",
        required=False,
        widget=widgets.CheckboxSelectMultiple,
        choices=_FixedChoices(
            [c for c in ContentWarning.choices if c[0] not in ("none", "not_used")]
        ),
    )
    status = _choice_field([("", "Any status"), *Story.Status.choices])
    language = _choice_field([("", "Any language"), *settings.LANGUAGES])
    words_min = _words_field("At least (words)")
    words_max = _words_field("At most (words)")
    writer = _text_field("Writer", 150)
    character = _text_field("Character", 100)
    sort = _choice_field(
        [
            ("updated", "Recently updated"),
            ("new", "Newest"),
            ("words", "Longest"),
            ("title", "Title"),
            ("kudos", "Most kudos"),
        ]
    )

    def tag_fields(self):
        return [self["tag"], self["exclude_tag"]]

    def filters(self):
        """The valid filters, as a dict; invalid values are simply not applied."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    def included_tags(self):
        return tags.parse([self.filters().get("tag", "")])

    def apply(self, stories):
        chosen = self.filters()
        included = tags.parse([chosen.get("tag", "")])
        excluded = tags.parse([chosen.get("exclude_tag", "")])
        meant = tags.equivalent_ids_by_name(included + excluded)
        for name in included:  # a name no tag has finds no story
            stories = stories.filter(tags.tagged(Story, meant.get(name, [])))
        for name in excluded:
            stories = stories.exclude(tags.tagged(Story, meant.get(name, [])))
        for field in ("rating", "status", "language"):
            if field in chosen:
                stories = stories.filter(**{field: chosen[field]})
        if "words_min" in chosen:
            stories = stories.filter(word_count__gte=chosen["words_min"])
        if "words_max" in chosen:
            stories = stories.filter(word_count__lte=chosen["words_max"])
        for code in chosen.get("exclude_warning", []):
            stories = _without_warning(stories, code)
        if "writer" in chosen:
            stories = stories.filter(_written_by(chosen["writer"]))
        if "character" in chosen:
            stories = stories.filter(_with_character(chosen["character"]))
        return stories.order_by(*SORTS[chosen.get("sort", "updated")])


def _without_warning(stories, code):
    if connection.vendor == "postgresql":
        # jsonb @>, tested on the rows the other filters and the sort picked through their
        # indexes. No index can narrow to the stories *without* a warning; a subquery
        # through the GIN index on warnings (which serves "carries it") read every story
        # with it first, 8 ms of a 22 ms count at 10,000 stories.
        return stories.exclude(warnings__contains=[code])
    # SQLite has no JSON containment; the quoted code in the list's text is exact enough.
    text = Cast("warnings", TextField())
    return stories.annotate(warnings_text=text).exclude(warnings_text__contains=f'"{code}"')


def _written_by(username):
    """An active member of the story, by username (with or without the @)."""
    member = Membership.objects.active().filter(
        story=OuterRef("pk"), user__username=username.strip().lstrip("@")
    )
    return Exists(member)


def _with_character(text):
    """A character taking part in a published chapter, by slug or by the slug its name has."""
    text = text.strip()
    as_slug = slugify(text, allow_unicode=True)[:74]  # as threads.models.slugs makes them
    characters = Character.objects.filter(slug__in=[text, as_slug])
    appears = Participant.objects.filter(
        character__in=characters,
        scene__chapter__story=OuterRef("pk"),
        scene__chapter__is_published=True,
    )
    return Exists(appears)
