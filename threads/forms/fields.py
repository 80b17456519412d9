"""Form fields shared by the writer's forms."""

from django import forms


class MarkdownField(forms.CharField):
    """Optional Markdown text in a textarea, such as a summary, a bio or a description.

    Its length limit is checked when the form is sent, not with a maxlength attribute: a
    browser silently cuts pasted text at maxlength and the writer would lose the end (the
    post body's BodyField does the same)."""

    def __init__(self, *, max_length, rows, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
