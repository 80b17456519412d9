"""The story list's filter widgets (threads.forms.widgets) write, in Python, exactly the
HTML Django's widget templates write: with nothing chosen, with every filter chosen, with
text that must be escaped and with values that are not among the choices."""

import functools

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.forms import widgets
from threads.forms.browse import StoryFilterForm

QUERIES = [
    "",
    "tag=sea,+found+family&exclude_tag=court&rating=mature&status=complete&language=ru"
    "&words_min=10&words_max=5000&writer=mira&character=Wren&exclude_warning=death"
    "&exclude_warning=violence&sort=title",
    "tag=%22%3E%3Cscript%3E&tag=a%26b&writer=%3Cb%3E%27x%27&character=%C3%A9%22",
    "rating=zzz&language=%3Cxx%3E&words_min=lots&words_max=-1&exclude_warning=dragons&sort=DROP",
]


def rendered(form):
    """Each field as the template prints it: whole, and box by box for the warnings."""
    return {
        name: (str(form[name]), [choice.tag() for choice in form[name]]) for name in form.fields
    }


def with_django_templates(form):
    for field in form.fields.values():
        widget = field.widget
        widget._render = functools.partial(forms.Widget._render, widget)
    return form


@pytest.mark.parametrize("query", QUERIES)
def test_the_widgets_write_what_djangos_templates_write(query):
    ours = rendered(StoryFilterForm(QueryDict(query)))
    djangos = rendered(with_django_templates(StoryFilterForm(QueryDict(query))))
    assert ours == djangos
    assert "<script>" not in str(ours)


def test_every_field_renders_in_python():
    # A field left with Django's widget would pass the test above by comparing it with itself.
    for field in StoryFilterForm().fields.values():
        assert type(field.widget)._render is not forms.Widget._render


def test_each_label_names_its_field_as_djangos_label_tag_does(client, db):
    page = client.get(reverse("story_list"), {"rating": "teen"}).content.decode()
    form = StoryFilterForm()
    for name in form.fields:
        if name != "exclude_warning":  # a fieldset with a legend
            assert str(form[name].label_tag()) in page


def test_a_select_with_groups_writes_what_djangos_template_writes():
    choices = [("", "Any"), ("Sea & shore", [("a", "A & B"), ("b", "<b>")]), ("c", "C")]
    ours = widgets.Select(choices=choices).render("x", "b", {"id": "id_x", "required": True})
    djangos = forms.Select(choices=choices).render("x", "b", {"id": "id_x", "required": True})
    assert ours == djangos
