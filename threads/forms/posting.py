"""Forms for writing in a scene: the post form under the scene and the post edit form."""

from django import forms
from django.conf import settings

from threads.forms.fields import BodyField
from threads.models import Character, Post

NARRATION = "narration"
OOC = "ooc"
CHARACTER_PREFIX = "character-"


def _help_text():
    return (
        f"Markdown: *italics*, **bold**, > quotes, blank line between paragraphs. "
        f"Up to {settings.RP_MAX_POST_LENGTH:,} characters."
    )


class PostForm(forms.Form):
    post_as = forms.ChoiceField(
        label="Post as",
        error_messages={
            "invalid_choice": "You can post only as your own characters in this scene, as "
            "narration (owners and narrators) or out of character."
        },
    )
    body = BodyField(label="Your post")
    # The number of the latest post the writer saw, to explain a refusal caused by
    # someone posting while they were writing.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, characters=(), can_narrate=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.characters = {f"{CHARACTER_PREFIX}{c.pk}": c for c in characters}
        choices = [(key, c.name) for key, c in self.characters.items()]
        if can_narrate:
            choices.append((NARRATION, "Narration"))
        choices.append((OOC, "Out of character (OOC note to the other writers)"))
        self.fields["post_as"].choices = choices
        self.fields["body"].help_text = _help_text()

    def kind_and_character(self) -> tuple[str, Character | None]:
        choice = self.cleaned_data["post_as"]
        if choice == NARRATION:
            return Post.Kind.NARRATION, None
        if choice == OOC:
            return Post.Kind.OUT_OF_CHARACTER, None
        return Post.Kind.IN_CHARACTER, self.characters[choice]


def choice_for(character: Character | None, narrate: bool = False) -> str:
    """The post_as value to select first."""
    if character is not None:
        return f"{CHARACTER_PREFIX}{character.pk}"
    return NARRATION if narrate else OOC


class EditForm(forms.Form):
    body = BodyField(label="Text")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _help_text()
