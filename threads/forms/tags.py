"""Tag inputs shared by the story and character forms: one rule for how many tags and how
long, and the text input that tag-suggest.js enhances with suggestions from existing tags."""

from django import forms
from taggit.forms import TagWidget

MAX_TAGS = 20
TAG_MAX_LENGTH = 50


class SuggestedTagsInput(TagWidget):
    """taggit's comma-separated input, marked for static/js/tag-suggest.js."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-tag-suggest": "", "autocomplete": "off", **(attrs or {})})


def clean_tag_list(tags):
    """The cleaned tags, or a ValidationError saying which limit they pass."""
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(f"At most {MAX_TAGS} tags, please.")
    too_long = [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]
    if too_long:
        raise forms.ValidationError(
            f"Tags can be at most {TAG_MAX_LENGTH} characters; shorten “{too_long[0][:60]}”."
        )
    return tags
