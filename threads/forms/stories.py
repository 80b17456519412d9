"""Forms for writing: stories, invitations, chapters and scenes."""

from django import forms
from django.contrib.auth import get_user_model

from threads.forms.fields import MarkdownField, NameField, NameTagField
from threads.forms.tags import SuggestedTagsInput, clean_tag_list
from threads.lib import markup
from threads.library import insert
from threads.models import Chapter, ContentWarning, Membership, Scene, Story

SUMMARY_MAX_LENGTH = 5_000
# Chapter numbers and scene positions are for people; this keeps them readable and far
# from the database's integer limits.
MAX_NUMBER = 9_999
# A turn deadline longer than a year would never help a stalled game.
MAX_DEADLINE_DAYS = 365


class StoryForm(forms.ModelForm):
    summary = MarkdownField(
        max_length=SUMMARY_MAX_LENGTH,
        rows=6,
        help_text="Markdown. Shown on the story's page and in story lists.",
    )
    tags = NameTagField(
        required=False,
        widget=SuggestedTagsInput,  # suggestions from existing tags (static/js/tag-suggest.js)
        help_text="Separated by commas, for example: fantasy, slow burn, found family.",
    )
    warnings = forms.MultipleChoiceField(
        choices=ContentWarning.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every warning that applies, so readers can choose.",
    )

    class Meta:
        model = Story
        fields = (
            "title",
            "summary",
            "tags",
            "rating",
            "warnings",
            "language",
            "visibility",
            "status",
            "reader_insert",  # threads.library.insert
            "reader_insert_placeholders",
            "comment_policy",  # threads.library.comments
        )
        field_classes = {"title": NameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without a comment policy (an older page, a script) keeps the story's
        # own: comments stay as they were rather than the form failing.
        self.fields["comment_policy"].required = False

    def clean_comment_policy(self):
        return self.cleaned_data["comment_policy"] or self.instance.comment_policy

    def clean_reader_insert_placeholders(self):
        # Reader-insert: a clean list of the story's placeholders, or the defaults if empty.
        tokens = markup.parse_placeholders(self.cleaned_data["reader_insert_placeholders"])
        return ", ".join(tokens) or markup.DEFAULT_PLACEHOLDERS_TEXT

    def save(self, commit=True):
        story = super().save(commit)
        # Text written before the owner turned reader-insert on or added a token is
        # rendered again, so the new placeholders are marked in it too.
        reader_insert_fields = {"reader_insert", "reader_insert_placeholders"}
        if commit and story.pk and reader_insert_fields & set(self.changed_data):
            insert.rerender_story(story)
        return story

    def clean_tags(self):
        return clean_tag_list(self.cleaned_data["tags"])

    def clean_warnings(self):
        warnings = self.cleaned_data["warnings"]
        exclusive = {ContentWarning.NONE_APPLY, ContentWarning.NOT_USED}
        if len(warnings) > 1 and exclusive & set(warnings):
            raise forms.ValidationError(
                f"“{ContentWarning.NONE_APPLY.label}” and “{ContentWarning.NOT_USED.label}” "
                "cannot be ticked with other warnings."
            )
        return warnings


class InviteForm(forms.Form):
    """The owner invites a writer by username, as a co-writer or narrator."""

    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.CO_WRITER, Membership.Role.CO_WRITER.label),
            (Membership.Role.NARRATOR, Membership.Role.NARRATOR.label),
        ],
        help_text="Narrators can also add chapters and scenes and skip turns.",
    )

    def __init__(self, *args, story, **kwargs):
        self.story = story
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lstrip("@")
        invitee = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if invitee is None:
            raise forms.ValidationError(f"No writer is called “{username}”. Check the spelling.")
        existing = self.story.memberships.filter(user=invitee).first()
        if existing and existing.status == Membership.Status.ACTIVE:
            raise forms.ValidationError(f"{invitee.username} is already a member of this story.")
        if existing and existing.status == Membership.Status.INVITED:
            raise forms.ValidationError(f"{invitee.username} has already been invited.")
        self.invitee = invitee
        return invitee.username


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=InviteForm.base_fields["role"].choices)


class ChapterForm(forms.ModelForm):
    number = forms.IntegerField(
        min_value=1,
        max_value=MAX_NUMBER,
        help_text="Its place in the story. Choosing a number another chapter has moves that "
        "chapter along by one.",
    )
    summary = MarkdownField(max_length=SUMMARY_MAX_LENGTH, rows=4, help_text="Markdown. Optional.")

    class Meta:
        model = Chapter
        fields = ("number", "title", "summary")
        field_classes = {"title": NameField}


class SceneForm(forms.ModelForm):
    """A scene, with its participants: each eligible character gets a place in the posting
    order, or none to leave them out. Number inputs, so ordering works without JavaScript."""

    position = forms.IntegerField(
        min_value=1,
        max_value=MAX_NUMBER,
        help_text="Its place in the chapter. Choosing a taken place moves that scene along.",
    )
    turn_deadline_days = forms.IntegerField(
        label="Turn deadline (days)",
        required=False,
        min_value=1,
        max_value=MAX_DEADLINE_DAYS,
        help_text="Leave empty for no deadline. With one, the writer who is up is reminded by "
        "e-mail halfway through their turn; at the deadline their turn is skipped and passes "
        "to the next writer. Counted from the start of each turn: a turn that has already "
        "waited longer is skipped at the next check. Free scenes have no turns to skip.",
    )

    class Meta:
        model = Scene
        fields = ("position", "title", "setting", "turn_mode", "turn_deadline_days")
        field_classes = {"title": NameField, "setting": NameField}

    def __init__(self, *args, characters, current=None, **kwargs):
        """``characters``: who may take part. ``current``: character pk → present place."""
        super().__init__(*args, **kwargs)
        self.characters = list(characters)
        current = current or {}
        for character in self.characters:
            self.fields[f"place_{character.pk}"] = forms.IntegerField(
                label=f"Place of {character.name}",
                required=False,
                min_value=1,
                max_value=99,
                initial=current.get(character.pk),
            )

    def participant_rows(self):
        """(character, bound place field) pairs, for the template."""
        return [(c, self[f"place_{c.pk}"]) for c in self.characters]

    def clean(self):
        cleaned = super().clean()
        placed = [
            (cleaned[f"place_{c.pk}"], c)
            for c in self.characters
            if cleaned.get(f"place_{c.pk}") is not None
        ]
        places = [place for place, _ in placed]
        if len(places) != len(set(places)):
            raise forms.ValidationError(
                "Two characters have the same place in the posting order. Give each a "
                "different number."
            )
        cleaned["participants"] = [c for _, c in sorted(placed, key=lambda pair: pair[0])]
        return cleaned
