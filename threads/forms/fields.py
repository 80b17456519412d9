"""Form fields shared by the writer's forms: Markdown text, post bodies, and names."""

import re
import unicodedata

from django import forms
from taggit.forms import TagField

from threads.lib import markup
from threads.writing import posting


class MarkdownField(forms.CharField):
    """Optional Markdown text in a textarea, such as a summary, a bio or a description.

    Its length limit is checked when the form is sent, not with a maxlength attribute: a
    browser silently cuts pasted text at maxlength and the writer would lose the end. Text
    that Markdown cannot render in bounded time (lists nested hundreds deep, thousands of
    unclosed brackets) is refused with the reason, and the writer keeps it to fix."""

    def __init__(self, *, max_length=None, rows=8, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value and not clean_name(value):
            raise forms.ValidationError(INVISIBLE_TEXT, code="invisible")
        try:
            markup.check(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="markdown") from None
        return value


class BodyField(MarkdownField):
    """A post's Markdown body, kept exactly as typed (leading spaces matter in Markdown)
    except for line endings, and checked against the posting rules (not empty, not over
    the post length limit) before the Markdown bounds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 12, "class": "post-body-input"}))
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        try:
            posting.check_body(value)
        except posting.PostingError as error:
            raise forms.ValidationError(str(error), code="body") from None


# Names ---------------------------------------------------------------------------------------

# Characters that show nothing, or that reorder what follows them (bidirectional controls):
# in a name they hide an empty name or make one read as another. Soft hyphen, combining
# grapheme joiner, Arabic letter mark, Hangul fillers, Mongolian separators, zero-width
# space and marks, bidi embeddings, overrides and isolates, word joiner and invisible
# operators, byte order mark, interlinear annotation.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]"
)
# Zero-width non-joiner and joiner shape Persian words and emoji sequences, so they stay
# where they join two visible characters and go everywhere else.
_STRAY_JOINER = re.compile(
    r"(?<![^\s\u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?![^\s\u200c\u200d])"
)
_SPACES = re.compile(r"\s+")
# Control characters (category Cc) and lone surrogates (Cs): never part of a name.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_name(value):
    """A name as readers will see it: Unicode NFC, no control, invisible or bidirectional
    control characters (nor lone surrogates), white space collapsed to single spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = _CONTROLS.sub(" ", value)
    value = _INVISIBLE.sub("", value)
    value = _SPACES.sub(" ", value)
    if "\u200c" in value or "\u200d" in value:  # the look-around is slow on long text
        value = _SPACES.sub(" ", _STRAY_JOINER.sub("", value))
    return value.strip()


INVISIBLE_NAME = "This is made only of invisible characters. Type letters a reader can see."
INVISIBLE_TEXT = "This text is made only of invisible characters. Type something a reader can see."


class NameField(forms.CharField):
    """A title, name or other one-line text shown to readers, cleaned by ``clean_name``.
    Text that was typed but is left empty once cleaned is refused: it was invisible."""

    def to_python(self, value):
        value = super().to_python(value)
        cleaned = clean_name(value)
        if value and not cleaned:
            raise forms.ValidationError(INVISIBLE_NAME, code="invisible")
        return cleaned


class NameTagField(TagField):
    """Tags, each cleaned like a name; a tag made only of invisible characters is refused.
    The whole list has a length bound, so a huge paste is refused before it is parsed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2_000)  # room for 20 tags of 50 characters
        super().__init__(**kwargs)

    def clean(self, value):
        tags = super().clean(value)
        cleaned = [clean_name(tag) for tag in tags]
        invisible = [tag for tag, name in zip(tags, cleaned, strict=True) if not name]
        if invisible:
            raise forms.ValidationError(f"A tag: {INVISIBLE_NAME}", code="invisible")
        return list(dict.fromkeys(cleaned))
