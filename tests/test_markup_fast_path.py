"""The fast path of markup.render (plain prose without Markdown or an HTML parser) must give
byte for byte what the full path gives, on every text it accepts. Texts are generated from
seeded random pieces (property style, reproducible): prose with quotes, ampersands, angle
brackets, Cyrillic, em dashes, placeholders, URLs and bare domains, line breaks and
paragraphs, plus Markdown's own marks so that the refusals are exercised too."""

import random

import pytest

from threads.lib import markup, markup_bounds

PROSE = [
    "the",
    "tide",
    "turns",
    "again,",
    "she",
    "said.",
    "“Stay,”",
    "«Тише»",
    "—",
    "–",
    "Привет",
    "мир",
    "'quoted'",
    '"double"',
    "Tom & Jerry",
    "a > b",
    "&",
    "&&",
    "Y/N",
    "y/n",
    "{{user}}",
    "{{USER}}",
    "Ink",
    "Inkwell",
    "—and",
    "!",
    "?",
    "(aside)",
    "2024",
    "50%",
    "$5",
    "@ruth",
    "ü",
    "日本語",
    "🙂",
    ";",
    "/",
    "'s",
    "*again*",
    "**now**",
    "*Тише*",
    "*Y/N*",
    "*she said*",
    "(*aside*)",
    "“*quiet*,”",
    "*Tom & Jerry*",
    "**a > b**",
    "*Ink*",
]
# Prose the fast path may or may not take, depending on where it falls in a line.
EDGES = ["&copy", "R&D;", "...", "#general", "\u00a0", "-", "+", "=", "|", ":"]
HAZARDS = EDGES + [
    "*",
    "**",
    "***",
    "*a",
    "b*",
    "*wave*s",
    "un*do*",
    "* *",
    "*x**",
    "**y*",
    "*.*",
    "_",
    "`",
    "[",
    "]",
    "<",
    "<b>",
    "</p>",
    "<3",
    "\\",
    "~~",
    "&amp;",
    "&#169;",
    "http://example.com/a?b=c&d",
    "https://example.org",
    "www.example.net",
    "example.com",
    "notes.py",
    "Hello.World",
    "a:/b",
    "1.",
    "2)",
    "#",
    "##",
    ">",
    "- ",
    "* ",
    "+ ",
    "---",
    "===",
    "    ",
    "\t",
    "  ",
    " ",
    "\r\n",
    "\x0c",
    "\u2028",
    "\ufeff",
]
BREAKS = [" ", " ", " ", " ", "\n", "\n\n", "\n\n\n", " \n", "\n ", "  \n"]


def random_text(rng, hazards):
    """Prose; ``hazards``: now and then a hazard, or an odd break, as in real messages."""
    parts = []
    for _ in range(rng.randint(1, 40)):
        odd = hazards and rng.random() < 0.04
        parts.append(rng.choice(HAZARDS if odd else PROSE + EDGES if hazards else PROSE))
        parts.append(rng.choice(BREAKS if odd else BREAKS[:7]))
    text = "".join(parts)
    if not hazards:
        return text.strip()  # as a chat message arrives
    if rng.random() < 0.3:
        text = rng.choice(["\n", " ", "", "1. ", "# "]) + text
    return text


PLACEHOLDER_SETS = [(), ("Ink",), ("Ink", "[name]", "A&B", "x>y")]


def full_render(text, placeholders):
    """What render gives without its fast path."""
    if markup_bounds.problem(text):
        return markup.render_plain(text, placeholders)
    return markup.render_markdown(text, placeholders)


@pytest.mark.parametrize("placeholders", PLACEHOLDER_SETS)
@pytest.mark.parametrize("hazards", [False, True], ids=["plain prose", "with hazards"])
def test_fast_path_gives_exactly_what_the_full_path_gives(placeholders, hazards):
    rng = random.Random(f"{hazards}-{placeholders}")
    taken = 0
    for _ in range(1500):
        text = random_text(rng, hazards)
        if not text.strip() or markup_bounds.problem(text):
            continue
        fast = markup.render_simple(text, placeholders)
        if fast is not None:
            taken += 1
            assert fast == markup.render_markdown(text, placeholders), repr(text)
        assert markup.render(text, placeholders) == full_render(text, placeholders), repr(text)
    # The comparison means something only if the fast path ran often.
    assert taken > (50 if hazards else 1000)


def test_ordinary_prose_takes_the_fast_path():
    text = "“Stay,” she said — Тише.\nTom & Jerry > all.\n\nY/N nods."
    expected = (
        "<p>“Stay,” she said — Тише.<br>\nTom &amp; Jerry &gt; all.</p>\n"
        '<p><span class="rp-insert" data-insert="">Y/N</span> nods.</p>'
    )
    assert markup.render_simple(text) == expected
    assert markup.render_markdown(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "* soft*",
        "*soft *",
        "a*soft*b",
        "***soft***",
        "*soft**",
        "* * *",
        "*open",
        "see example.com",
        "notes.py",
        "http://example.com",
        "Tom&amp;Jerry",
        "a <b>bold</b> move",
        "1. first",
        "# heading",
        "- item",
        "> quoted",
        "line\n===",
        "line  \nbreak",
        "    code",
        "tab\tbed",
        "windows\r\nline",
    ],
)
def test_anything_markdown_could_read_takes_the_full_path(text):
    assert markup.render_simple(text) is None
    assert markup.render(text) == markup.render_markdown(text)


def test_simple_emphasis_takes_the_fast_path():
    text = "*waves* “Stay,” she said, **twice**.\n(*Тише*) & Y/N *nods at Y/N*."
    expected = (
        "<p><em>waves</em> “Stay,” she said, <strong>twice</strong>.<br>\n"
        "(<em>Тише</em>) &amp; "
        '<span class="rp-insert" data-insert="">Y/N</span> <em>nods at '
        '<span class="rp-insert" data-insert="">Y/N</span></em>.</p>'
    )
    assert markup.render_simple(text) == expected
    assert markup.render_markdown(text) == expected


def test_text_past_the_bounds_is_still_shown_plain():
    """markup_bounds still decides first: far too many lines is plain text, even prose."""
    text = "\n".join(f"Line {n} of a very long message" for n in range(4000))
    assert markup_bounds.problem(text)
    assert markup.render(text) == markup.render_plain(text)


def test_a_storys_own_placeholder_is_wrapped_on_the_fast_path():
    html = markup.render("Ink walks in.\nInkwell stays.", ("Ink",))
    assert html == markup.render_markdown("Ink walks in.\nInkwell stays.", ("Ink",))
    assert html.count('<span class="rp-insert" data-insert="">Ink</span>') == 1


def test_long_prose_is_measured_against_the_bounds_before_the_fast_path():
    rng = random.Random("long")
    within = "\n\n".join(random_text(rng, hazards=False) for _ in range(60))
    assert len(within) > 5000 and not markup_bounds.problem(within)
    assert markup.render(within) == markup.render_markdown(within)
    one_run = "Tide's" * 400  # 2,400 characters without a space: past the runs' budget
    assert markup_bounds.problem(one_run)
    assert markup.render(one_run) == markup.render_plain(one_run)
