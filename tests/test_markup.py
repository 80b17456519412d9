import pytest

from threads.lib.markup import count_words, render


def test_markdown_keeps_the_writers_formatting():
    html = render(
        "*soft* and **loud**\nsame paragraph\n\n> an echo\n\n- one\n- two\n\n---\n\n`lamp`"
    )
    assert "<em>soft</em>" in html
    assert "<strong>loud</strong>" in html
    assert "<br>" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html
    assert "<hr>" in html
    assert "<code>lamp</code>" in html


def test_links_are_marked_nofollow_ugc_noopener():
    html = render("[the coast](https://example.com/coast) and https://example.org")
    assert 'href="https://example.com/coast"' in html
    assert html.count('rel="nofollow ugc noopener"') == 2


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<p style="position:fixed" onclick="alert(1)">x</p>',
        '<iframe src="https://example.com"></iframe>',
        '<form action="/x"><input name="q"></form>',
        '<svg onload="alert(1)"><circle r="4"/></svg>',
        "<object data='x'></object><embed src='x'>",
        '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
        '<a href="&#106;avascript:alert(1)">entity encoded</a>',
        '<a href="vbscript:msgbox(1)">vb</a>',
        "[x](  javascript:alert(1) )",
    ],
)
def test_hostile_input_comes_out_inert(hostile):
    html = render(hostile).lower()
    for danger in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:",
        "style=",
        "<iframe",
        "<form",
        "<input",
        "<svg",
        "<object",
        "<embed",
        "<img",
    ):
        assert danger not in html


def test_unicode_survives_untouched():
    text = "Привет, мир — «perché no?» “curly” ‘quotes’ … café"
    assert text in render(text)


def test_empty_text_renders_to_nothing():
    assert render("") == ""
    assert render("   \n ") == ""


def test_words_are_counted_between_white_space():
    assert count_words("The lamp — cold again.\n\nНочь.") == 6
    assert count_words("") == 0


def test_headings_become_bold_paragraphs_not_page_headings():
    html = render("# The Storm\n\nRain.")
    assert html.startswith("<p><strong>The Storm</strong></p>")
    assert "<h1" not in html
    assert "<h1" not in render("<h1 onclick=x>raw</h1>")


def test_writers_cannot_set_their_own_link_rel_or_target():
    html = render('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    assert 'rel="nofollow ugc noopener"' in html
    assert 'opener"' not in html.replace("noopener", "")
    assert "target" not in html
