"""Forms for the reader's library: a bookmark's note and the reader-insert name."""

from django import forms

from threads.library import bookmarks, insert


class BookmarkForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=bookmarks.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Private: only you see it.",
    )


class ReaderNameForm(forms.Form):
    name = forms.CharField(
        label="Your name in reader-insert stories",
        required=False,
        max_length=insert.NAME_MAX_LENGTH,
        help_text="Shown where the writers typed “Y/N” or another placeholder. Leave empty "
        "to see the placeholders as written.",
    )
