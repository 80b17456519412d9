"""Markdown that would cost seconds (or overflow the stack) is caught by a linear pre-scan:
forms refuse it with the reason, and markup.render shows it as escaped plain text. The
behaviour is tested here, never the time; `make bench` times the same cases."""

import pytest
from django import forms

from threads.forms.fields import BodyField, MarkdownField
from threads.lib import markup, markup_bounds

LIMIT = 100_000  # the post length limit


def repeated(unit, length=LIMIT):
    return (unit * (length // len(unit) + 1))[:length]


PATHOLOGICAL = {
    "open brackets": repeated("["),
    "open brackets between words": repeated("x ["),
    "open parentheses": repeated("("),
    "unclosed tags": repeated("<a "),
    "image openers": repeated("!["),
    "reference openers": repeated("[x]["),
    "bold link openers": repeated("**["),
    "empty links without a close": repeated("[]("),
    "autolink openers": repeated("<http://a "),
    "50,000 short lines": repeated("a\n"),
    "paragraphs of one bracket": repeated("[\n\n"),
    "numbered list markers x500": "1. " * 500 + "deep",
    "nested bullets by indentation": "".join("  " * i + "- x\n" for i in range(200)),
    "quotes x1000": ">" * 1000 + " deep",
    "spaced quotes x1000": "> " * 1000 + "deep",
    "long run without spaces": "(" * 3_000,
    "many lines deep in quotes": ("> " * 12 + "a line of text\n") * 2_000,
    # Each unclosed [ makes the link patterns scan the rest of its paragraph.
    "a few brackets before one long paragraph": "[" * 10 + "word " * 19_000,
}

ORDINARY = {
    "prose at the limit": repeated(
        "She said *softly* that the tide would turn before the lamps were lit, and went on "
        "(twice) down the long stair to the water. [OOC: back in ten.] The ferryman waited, "
        "as he always did, with the rope in his hands. See [the map](https://example.com/).\n\n"
    ),
    "a poem of short lines": repeated("the *tide*, the salt\nthe flats at dawn\n\n", 50_000),
    "quoted reply": "> what you said\n> over two lines\n\nMy answer.\n\n" * 500,
    "nested list": "- one\n    - two\n        - three\n            - four\n" * 100,
    "a code block": "```\n" + "    indented code\n" * 500 + "```\n",
    "a long link": "[here](https://example.com/" + "a" * 1_500 + ")",
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_caught_and_shown_as_plain_text(text):
    assert markup_bounds.problem(text)
    assert markup.render(text) == markup.render_plain(text)


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY.keys())
def test_ordinary_writing_is_rendered_as_markdown(text):
    assert markup_bounds.problem(text) is None
    assert markup.render(text) != markup.render_plain(text)


def test_nesting_within_the_bound_is_rendered():
    html = markup.render("> " * markup_bounds.MAX_NESTING + "deep")
    assert html.count("<blockquote>") == markup_bounds.MAX_NESTING
    assert markup_bounds.problem("> " * (markup_bounds.MAX_NESTING + 1) + "deeper")


def test_plain_text_is_escaped_in_paragraphs_and_lines():
    html = markup.render_plain("<b>one</b>\ntwo\n\n\n[three")
    assert html == "<p>&lt;b&gt;one&lt;/b&gt;<br>\ntwo</p>\n<p>[three</p>"


def test_a_recursion_error_in_markdown_falls_back_to_plain_text(monkeypatch):
    def overflow(*args, **kwargs):
        raise RecursionError

    monkeypatch.setattr(markup.markdown, "markdown", overflow)
    assert markup.render("_fine_ text") == "<p>_fine_ text</p>"  # not the fast path


@pytest.mark.parametrize("field", [MarkdownField(max_length=LIMIT), BodyField()])
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_markdown_fields_refuse_pathological_text_with_the_reason(field, text):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(text)
    assert refused.value.messages == [markup_bounds.problem(text)]


def test_every_reason_names_what_to_change():
    reasons = {markup_bounds.problem(text) for text in PATHOLOGICAL.values()}
    assert all(reason.endswith(".") and len(reason) > 40 for reason in reasons)
    assert len(reasons) >= 6  # each bound speaks for itself


def test_plain_text_keeps_reader_insert_placeholders():
    html = markup.render("[" * 3_000 + " Y/N waits", placeholders=("Y/N",))
    assert '<span class="rp-insert" data-insert="">Y/N</span>' in html
