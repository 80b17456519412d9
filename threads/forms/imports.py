"""Forms of the import pages: the upload, and a writer's claim on imported posts."""

from django import forms

from threads.interchange import text_import
from threads.interchange.plan import UPLOAD_MAX_BYTES

SOURCES = [
    ("text", "Chapter text copied from a reading site (plain text or Markdown)"),
    ("discord", "A Discord channel (DiscordChatExporter JSON)"),
    ("sillytavern", "A SillyTavern chat (.jsonl)"),
]


def too_large_message(size):
    return (
        f"This file is {size / 1024 / 1024:.1f} MB; uploads can be at most "
        f"{UPLOAD_MAX_BYTES / 1024 / 1024:.0f} MB. Import larger files with the manage.py "
        "commands."
    )


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES, widget=forms.RadioSelect, initial="text")
    file = forms.FileField(help_text=f"At most {UPLOAD_MAX_BYTES // 1024 // 1024} MB.")
    split = forms.ChoiceField(
        label="How turns are split (chapter text)",
        choices=[(key, label) for key, label in text_import.SPLITS.items()],
        initial="blank-lines",
        required=False,
    )
    characters = forms.CharField(
        label="Characters, in posting order (chapter text)",
        required=False,
        max_length=500,
        help_text="Names separated by commas, for example “Vesna, Aleksei”. Characters of "
        "yours with these names are used; the others are credited to a placeholder writer "
        "until their writer claims them.",
    )
    every = forms.IntegerField(
        label="Start a chapter every N posts (Discord)",
        required=False,
        min_value=1,
        help_text="Leave empty to start one after a day of silence.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large_message(upload.size), code="too_large")
        return upload

    def options(self):
        """What the parser needs besides the file, kept in the session between steps."""
        data = self.cleaned_data
        return {
            "split": data.get("split") or "blank-lines",
            "characters": [n.strip() for n in data.get("characters", "").split(",") if n.strip()],
            "every": data.get("every"),
        }


class ClaimForm(forms.Form):
    note = forms.CharField(
        label="A note for the story's owner",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: where you played this character, so the owner knows you.",
    )
