"""The character card form, with its checked portrait upload."""

from django import forms

from threads.forms.fields import MarkdownField, NameField, NameTagField
from threads.forms.tags import SuggestedTagsInput, clean_tag_list
from threads.lib import portraits
from threads.models import Character

DESCRIPTION_MAX_LENGTH = 20_000


class CharacterForm(forms.ModelForm):
    description = MarkdownField(
        max_length=DESCRIPTION_MAX_LENGTH,
        rows=10,
        help_text="Markdown: appearance, history, whatever co-writers should know.",
    )
    # A plain FileField: threads/portraits.py does the checking, more strictly than
    # ImageField would (formats, pixel count, truncation) and with clearer messages.
    portrait_upload = forms.FileField(
        label="Portrait",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text="JPEG, PNG, GIF or WebP, at most 5 MB. It is resized to 512 pixels and "
        "its metadata (camera, location) is removed.",
    )
    remove_portrait = forms.BooleanField(label="Remove the current portrait", required=False)
    tags = NameTagField(
        required=False,
        widget=SuggestedTagsInput,
        help_text="Separated by commas, for example: knight, sea captain, trickster.",
    )

    class Meta:
        model = Character
        fields = ("name", "pronouns", "tagline", "description", "tags")
        field_classes = {"name": NameField, "pronouns": NameField, "tagline": NameField}
        help_texts = {"tagline": "One line under the name, for example “a cartographer”."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.portrait:
            del self.fields["remove_portrait"]

    def clean_tags(self):
        return clean_tag_list(self.cleaned_data["tags"])

    def clean_portrait_upload(self):
        upload = self.cleaned_data.get("portrait_upload")
        if not upload:
            return None
        # The processed files ride along in cleaned_data; save() stores them.
        return portraits.process_portrait(upload)

    def save(self, commit=True):
        character = super().save(commit=False)
        processed = self.cleaned_data.get("portrait_upload")
        if processed or self.cleaned_data.get("remove_portrait"):
            character.portrait, character.portrait_thumb = processed or ("", "")
        if commit:
            character.save()
            self._save_m2m()  # the tags
        return character
