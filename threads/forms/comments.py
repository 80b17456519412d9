from django import forms
from django.conf import settings

from threads.models import CommentReport, Report, Subscription

from .fields import MarkdownField


class CommentForm(forms.Form):
    """A comment, or a writer's reply (``parent``). The post length limit applies."""

    body = MarkdownField(
        label="Your comment",
        required=True,
        rows=5,
        help_text="Markdown. A moderator may look at it before readers see it.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean_body(self):
        # Read at each use, like the post form, so the setting can change without a restart.
        body, limit = self.cleaned_data["body"], settings.RP_MAX_POST_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                f"A comment is at most {limit:,} characters, like a post: this one has "
                f"{len(body):,}."
            )
        return body


class CommentReportForm(forms.ModelForm):
    class Meta:
        model = CommentReport
        fields = ["reason", "note"]
        labels = {"reason": "What is wrong with this comment?", "note": "Anything else?"}
        widgets = {
            "reason": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices


class SubscribeForm(forms.Form):
    mode = forms.ChoiceField(choices=Subscription.Mode.choices)
