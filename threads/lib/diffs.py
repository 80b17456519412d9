"""What changed between two versions of a text, as HTML with <del> and <ins>, in bounded time.

The edit queue, the admin's review pages and a post's history all use it. difflib's matcher
takes time that grows with the product of the two lengths (faster still with repeated
tokens), so a one-word edit of a 100,000-character post once took minutes. Here:

1. the tokens both versions share at the start and at the end are set aside first, so a
   small edit of a long text only compares what lies between;
2. what lies between is compared word by word if that is cheap enough, else line by line
   (a coarse diff: a changed paragraph shows whole, deleted then inserted);
3. if even the lines would cost too much, it is shown as one block replaced by another.

Every piece of text is escaped; the result is built with format_html only.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join

# The most token pairs (len(old) * len(new), after trimming) the matcher may compare.
# Measured on repetitive prose, a million pairs stays under a tenth of a second.
WORD_BUDGET = 1_000_000
LINE_BUDGET = 1_000_000

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

# A word with the white space after it. Tokens that are white space alone would all be the
# same token, and the matcher is slowest on tokens that repeat.
_WORDS = re.compile(r"\s+|\S+\s*")
# A line with the line breaks after it, for the same reason: blank lines would all be one
# token.
_LINES = re.compile(r"\n+|[^\n]+\n*")
_TRAILING_SPACE = re.compile(r"\s*\Z")


def diff_pieces(old, new):
    """``old`` → ``new`` as a list of (operation, text): EQUAL, DELETE or INSERT, in reading
    order, where a replacement is its deletion followed by its insertion. Word by word
    where that is cheap, coarser where it is not (see the module docstring)."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    start = _common_prefix(a, b)
    end = _common_prefix(reversed(a[start:]), reversed(b[start:]))
    middle = _middle(a[start : len(a) - end], b[start : len(b) - end])
    pieces = [(EQUAL, "".join(a[:start])), *middle, (EQUAL, "".join(a[len(a) - end :]))]
    return [(operation, text) for operation, text in pieces if text]


def diff_html(old, new, context=None):
    """``old`` → ``new`` as HTML: unchanged text, <del> and <ins>. With ``context``, long
    unchanged runs keep only that many words on each side of a change, so a one-word
    edit in a long post reads at a glance. A replaced word is shown as its deletion, a
    space, then its insertion: "Corwin suspended", never "Corwinsuspended" when the page
    is read without its colours (copied, or aloud)."""
    pieces = diff_pieces(old, new)
    parts = []
    for index, (operation, text) in enumerate(pieces):
        if operation == EQUAL:
            first, last = index == 0, index == len(pieces) - 1
            parts.append(format_html("{}", _trim(text, context, first, last)))
        elif operation == DELETE:
            parts.extend(_changed(DELETE, text))
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            if following and following[0] == INSERT and not text[-1:].isspace():
                parts.append(" ")
        else:
            parts.extend(_changed(INSERT, text))
    return format_html_join("", "{}", ((part,) for part in parts))


def _common_prefix(a, b):
    """How many tokens ``a`` and ``b`` share at their start."""
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared


def _middle(a, b):
    """The pieces for the part of the texts that differs, within the budgets."""
    if not a or not b or len(a) * len(b) <= WORD_BUDGET:
        return _matched(a, b)
    old_lines = _LINES.findall("".join(a))
    new_lines = _LINES.findall("".join(b))
    if len(old_lines) * len(new_lines) <= LINE_BUDGET:
        return _matched(old_lines, new_lines)
    return [(DELETE, "".join(a)), (INSERT, "".join(b))]


def _matched(a, b):
    pieces = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == EQUAL:
            pieces.append((EQUAL, "".join(a[a1:a2])))
            continue
        if a2 > a1:
            pieces.append((DELETE, "".join(a[a1:a2])))
        if b2 > b1:
            pieces.append((INSERT, "".join(b[b1:b2])))
    return pieces


def _changed(operation, text):
    """A deleted or inserted run, with its trailing white space left outside the tag (so
    a struck-through word is not followed by a struck-through space)."""
    space = _TRAILING_SPACE.search(text).group()
    core = text[: len(text) - len(space)]
    if not core:
        marked = []
    elif operation == DELETE:
        marked = [format_html("<del>{}</del>", core)]
    else:
        marked = [format_html("<ins>{}</ins>", core)]
    return [*marked, space] if space else marked


def _trim(text, context, first, last):
    """An unchanged run, cut to ``context`` words on each side that touches a change."""
    if context is None:
        return text
    words = _WORDS.findall(text)
    if len(words) <= 2 * context + 1:
        return text
    head = "" if first else "".join(words[:context])
    tail = "" if last else "".join(words[-context:])
    return f"{head} … {tail}"
