"""What Markdown is asked to render, bounded before it costs seconds.

Python-Markdown and bleach take time that grows with the square of some inputs: each
unclosed ``[`` (or ``](`` without its ``)``) makes the link patterns scan to the end of
its paragraph, each ``<a `` without its ``>`` makes the HTML parser scan to the next ``>``,
bleach's link finder backtracks over a long run of characters without a space, every line
is an element with a fixed cost, and lists or quotes nested hundreds deep overflow the
stack. ``problem(text)`` measures those costs in one linear pass and says, in words a writer
can act on, which one is over its bound. Forms refuse such text (the writer keeps it);
``markup.render`` shows it as plain escaped text, whose cost grows linearly.

The bounds were measured with ``make bench``: text just inside every one of them renders
in well under a second, and ordinary writing at the post length limit is far inside them.
"""

import re

# Lists and quotes inside each other. Hundreds overflow the stack; nobody needs 16.
MAX_NESTING = 16
# Each level a line sits in parses it again: the sum over lines of depth × (length + 40).
NESTING_BUDGET = 500_000
# Lines with text on them: each is an element (a paragraph, a list item, a line break).
MAX_LINES = 3_000
# Marks the inline patterns react to: brackets, parentheses, angle brackets, emphasis,
# code, entities and escapes.
MAX_MARKS = 8_000
# Characters the link patterns may scan, summed over every [ and ]( (to its closing
# bracket, or to the end of its paragraph when it has none).
LINK_SCAN_BUDGET = 400_000
# The same for tags: characters from each < that starts a tag to the next >.
TAG_SCAN_BUDGET = 1_000_000
# The sum of the squared lengths of the runs without white space (bleach's link finder).
RUN_BUDGET = 5_000_000

_MARKS = re.compile(r"[\[\]()<>*_`&~\\]")
# A quote or list mark, the indentation before it, and the one space that ends it.
_CONTAINER = re.compile(r"([ \t]*)(?:>|(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$))[ \t]?")
_INDENT = re.compile(r"[ \t]*")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"\\.|\]\(|[\[\]()]", re.DOTALL)
_TAG_START = re.compile(r"<[A-Za-z/!?]|>")
_RUN = re.compile(r"\S+")


def problem(text):
    """Why ``text`` is too costly to render as Markdown, as a sentence; None if it is not."""
    if not text:
        return None
    return (
        _lines_problem(text)
        or _marks_problem(text)
        or _nesting_problem(text)
        or _links_problem(text)
        or _tags_problem(text)
        or _runs_problem(text)
    )


def _lines_problem(text):
    lines = sum(1 for line in text.split("\n") if line.strip())
    if lines > MAX_LINES:
        return (
            f"This text has {lines:,} lines; at most {MAX_LINES:,} can be laid out. "
            "Join short lines into paragraphs, or split it in two."
        )
    return None


def _marks_problem(text):
    marks = len(_MARKS.findall(text))
    if marks > MAX_MARKS:
        return (
            f"This text has {marks:,} formatting marks (such as * _ [ ] ( ) < > `); at most "
            f"{MAX_MARKS:,} can be laid out. Remove some, or split the text in two."
        )
    return None


def _nesting_problem(text):
    total = 0
    for line in text.split("\n"):
        depth = _depth(line)
        if depth > MAX_NESTING:
            return (
                f"Lists or quotes are nested more than {MAX_NESTING} deep (a line starts "
                "with many “>”, “-” or “1.” marks, or is indented very far). Flatten them."
            )
        total += depth * (len(line) + 40)
    if total > NESTING_BUDGET:
        return (
            "Too many lines sit deep inside lists or quotes to be laid out. Flatten some of "
            "them, or split the text in two."
        )
    return None


def _depth(line):
    """Quote and list marks at the start of a line, plus the indentation before and between them
    in steps of four spaces; counting stops just past the bound."""
    depth, position, indent = 0, 0, ""
    while depth <= MAX_NESTING:
        mark = _CONTAINER.match(line, position)
        if not mark:
            break
        depth, position, indent = depth + 1, mark.end(), indent + mark.group(1)
    indent += _INDENT.match(line, position).group()
    return depth + len(indent.expandtabs(4)) // 4


def _links_problem(text):
    scanned = sum(_link_scan(block) for block in _BLOCK_BREAK.split(text))
    if scanned > LINK_SCAN_BUDGET:
        return (
            "This text has too many “[” or “](” without their closing “]” or “)”. Close "
            "them, or write \\[ for a bracket that does not start a link."
        )
    return None


def _link_scan(block):
    """How far the link patterns scan in one paragraph: from each [ to its ], from each
    ]( to its ), and to the end of the paragraph for those never closed."""
    brackets, parens, cost = [], [], 0
    for match in _BRACKETS.finditer(block):
        mark, at = match.group(), match.start()
        if mark == "[":
            brackets.append(at)
        elif mark in ("]", "]("):
            if brackets:
                cost += at - brackets.pop()
            if mark == "](":
                parens.append((at, True))
        elif mark == "(":
            parens.append((at, False))
        elif mark == ")" and parens:
            start, is_link = parens.pop()
            cost += at - start if is_link else 0
        if cost > LINK_SCAN_BUDGET:
            return cost
    end = len(block)
    cost += sum(end - start for start in brackets)
    cost += sum(end - start for start, is_link in parens if is_link)
    return cost


def _tags_problem(text):
    scanned, waiting = 0, []
    for match in _TAG_START.finditer(text):
        if match.group() == ">":
            scanned += sum(match.start() - start for start in waiting)
            waiting = []
        else:
            waiting.append(match.start())
    scanned += sum(len(text) - start for start in waiting)
    if scanned > TAG_SCAN_BUDGET:
        return (
            "This text has too many “<” that open a tag without closing it with “>”. "
            "Write &lt; for a “<” that is not a tag."
        )
    return None


def _runs_problem(text):
    squares = sum(len(run) ** 2 for run in _RUN.findall(text))
    if squares > RUN_BUDGET:
        return (
            "This text has a very long run of characters without a space. Break it up with "
            "spaces or line breaks."
        )
    return None
