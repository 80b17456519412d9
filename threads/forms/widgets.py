"""Widgets that write the HTML of Django's own widget templates in Python, byte for byte
(tests/test_filter_widgets.py compares them with the templates). Django renders each widget,
and each option of a select, through its template engine: the story list's filters, with a
hundred languages to choose from, took a third of the page's time. Every value and label
goes through format_html, so it is escaped exactly as the templates escape it."""

import functools

from django import forms
from django.utils.html import format_html, format_html_join


def _attribute(name, value):
    if value is True:
        return format_html(" {}", name)
    return format_html(' {}="{}"', name, value)


def _attributes(attrs):
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its
    name alone."""
    return format_html_join(
        "",
        "{}",
        ((_attribute(name, value),) for name, value in attrs.items() if value is not False),
    )


def _input(widget):
    """As django/forms/widgets/input.html, from a widget's (or an option's) context."""
    if widget["value"] is None:
        return format_html(
            '<input type="{}" name="{}"{}>',
            widget["type"],
            widget["name"],
            _attributes(widget["attrs"]),
        )
    return format_html(
        '<input type="{}" name="{}" value="{}"{}>',
        widget["type"],
        widget["name"],
        widget["value"],
        _attributes(widget["attrs"]),
    )


def _options(optgroups):
    """As select.html writes its ``optgroups``. A select's options carry nothing but their
    value, label and attributes (``selected``), so each list of them is written once per
    process and looked up after: the story list's choices are constants, and a select of a
    hundred languages costs a lookup, not a hundred format_html calls."""
    return _written_options(
        tuple(
            (name, tuple((o["value"], o["label"], tuple(o["attrs"].items())) for o in options))
            for name, options, _ in optgroups
        )
    )


@functools.lru_cache(maxsize=256)
def _written_options(groups):
    return format_html_join("", "{}", ((_optgroup(name, options),) for name, options in groups))


def _optgroup(name, options):
    """As select.html writes an optgroup, or the options of a choice outside any group; each
    option as select_option.html, with the line break that template file ends with (the
    include keeps it)."""
    written = format_html_join(
        "",
        '\n  <option value="{}"{}>{}</option>\n',
        ((value, _attributes(dict(attrs)), label) for value, label, attrs in options),
    )
    if not name:
        return written
    return format_html('\n  <optgroup label="{}">{}\n  </optgroup>', name, written)


class _InPython:
    """Writes the widget's own template in Python; anything else (an option on its own, as
    ``{% for option in field %}`` asks) still goes to Django's template."""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.template_name:
            return super()._render(template_name, context, renderer)
        return self._html(context["widget"])


class TextInput(_InPython, forms.TextInput):
    _html = staticmethod(_input)


class NumberInput(_InPython, forms.NumberInput):
    _html = staticmethod(_input)


class Select(_InPython, forms.Select):
    def _html(self, widget):
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            _options(widget["optgroups"]),
        )


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Its boxes one by one, as a template loops over them (``{{ choice.tag }}``), are
    written in Python; the widget as a whole still renders through Django's template."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name == self.option_template_name and not widget.get("wrap_label"):
            return _input(widget)
        return super()._render(template_name, context, renderer)
