from django import forms

from threads.models import Report


class ReportForm(forms.ModelForm):
    """A reader's report: why, and anything a moderator should know."""

    class Meta:
        model = Report
        fields = ["reason", "note"]
        labels = {"reason": "What is wrong with this post?", "note": "Anything else? (optional)"}
        help_texts = {
            "note": "Only moderators read this. At most 2,000 characters.",
        }
        widgets = {
            "reason": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list with no "---------" placeholder: a reader must pick a reason.
        self.fields["reason"].choices = Report.Reason.choices
