"""The moderators' reasons: every decision's reason, from a bulk action's reason page or a
review page's buttons, is read through one of these forms, never from the raw request.

The reason is stripped, bounded in length and free of NUL characters (which PostgreSQL
refuses in text). Whether a decision needs one is threads.moderation's rule, which answers
with a message when it is missing.
"""

from django import forms

REASON_MAX_LENGTH = 2000

REASON_ERRORS = {
    "required": "Give a reason: the writer will see it.",
    "max_length": (
        "Keep the reason to %(limit_value)d characters: it has %(show_value)d. "
        "Your text is kept below."
    ),
    "null_characters_not_allowed": (
        "The reason holds a NUL character, which cannot be stored. Type it again without it."
    ),
}


class ReasonField(forms.CharField):
    """A reason a writer reads. Its limit is checked when the form is sent, not with a
    maxlength attribute, which silently cuts pasted text: an overlong reason comes back in
    the form with the error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", REASON_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "cols": 60}))
        kwargs.setdefault("help_text", "The writer reads this, so say what to change.")
        super().__init__(error_messages=REASON_ERRORS, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class ReasonForm(forms.Form):
    """The page between choosing a bulk action and doing it: the reason is required."""

    reason = ReasonField()


class DecisionForm(forms.Form):
    """One decision on one object, from the buttons of its admin page: which decision
    (one of ``decisions``, posted as ``field_name``) and the reason, if any."""

    reason = ReasonField(required=False)

    def __init__(self, data, decisions, field_name="decision"):
        super().__init__(data)
        self.field_name = field_name
        self.fields[field_name] = forms.ChoiceField(
            choices=[(value, value) for value in decisions],
            error_messages={"invalid_choice": "That decision is not one this page offers."},
        )

    @property
    def decision(self):
        return self.cleaned_data[self.field_name]
