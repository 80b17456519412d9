"""Chapter text copied from a reading site, as plain text or Markdown, into a plan.

Headings start chapters ("Chapter Twelve: The Ferry", "Chapter 12 - The Ferry", "12: The
Ferry"); the chapter gets the heading's number. Site chrome (a line of reads, votes and
comments; the title run together with the site's slogan; "Continue reading next part") is
dropped and listed. Each chapter becomes one scene, split into posts by one of SPLITS.
The text itself is kept as written: Markdown italics, curly quotes, em dashes, any script.
"""

import re

from threads.models import Post, Scene

from .plan import ImportFailed, Plan, PlannedChapter, PlannedPost, PlannedScene

SPLITS = {
    "blank-lines": "Two or more blank lines end a turn; turns alternate between the characters",
    "names": "Each turn starts with its character's name and a colon (“Vesna: …”)",
    "paragraphs": "One post per paragraph, alternating between the characters",
    "whole": "The whole chapter as one narration post",
}

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = {word: value for value, word in enumerate(_ONES)}
NUMBER_WORDS |= {word: 20 + 10 * index for index, word in enumerate(_TENS)}
NUMBER_WORDS["hundred"] = 100

_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = rf"\d{{1,4}}|(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*"
_SEP = r"\s*(?:[:.\-–—]\s*(?P<title>.*?))?"
HEADINGS = (
    re.compile(rf"^#*\s*(?:chapter|part|ch\.)\s+(?P<number>{_NUMBER}){_SEP}\s*#*$", re.I),
    re.compile(r"^#*\s*(?P<number>\d{1,4})\s*:\s*(?P<title>.+?)\s*#*$"),
)

_COUNT = r"\d[\d,.]*[kKmM]?"
CHROME = (
    re.compile(rf"^{_COUNT}(?:\s+{_COUNT}){{1,2}}$"),  # reads, votes, comments
    re.compile(r"where stories live|discover now", re.I),  # a title run into the slogan
    re.compile(r"^(?:continue reading|continue to|read) ?(?:the )?next (?:part|chapter)\W*$", re.I),
    re.compile(r"^(?:next part|you'll also like|add to library|start reading)\W*$", re.I),
)

_NAME_PREFIX = re.compile(r"^\**(?P<name>[^\s:*][^:*\n]{0,58}?)\**\s*:\**\s*(?P<text>.*)$")


def decode(raw):
    """Text from the file's bytes: UTF-8 (with or without a byte-order mark), any line
    endings made \\n. Anything else is refused, naming the line where it stops being UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailed(
            f"Line {line} is not UTF-8 text (byte 0x{raw[error.start]:02x}). "
            "Save the file as UTF-8 and try again."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_number(text):
    """12 from "12", "twelve" or "Twelve"; 75 from "Seventy-Five"; None for anything else."""
    if text.isdigit():
        return int(text)
    total = 0
    for word in re.split(r"[\s-]+", text.lower()):
        value = NUMBER_WORDS.get(word)
        if value is None:
            return None
        total = total * 100 if value == 100 else total + value
    return total


def heading(line):
    """(number, title) if the line is a chapter heading, else None."""
    for pattern in HEADINGS:
        match = pattern.match(line.strip())
        if match:
            number = parse_number(match["number"])
            if number:
                return number, (match["title"] or "").strip()
    return None


def is_chrome(line):
    stripped = line.strip()
    return bool(stripped) and any(pattern.search(stripped) for pattern in CHROME)


def parse(raw, split, characters=(), title=""):
    """The plan for chapter text ``raw`` (bytes), split by ``split`` (one of SPLITS), with
    turns credited to ``characters`` (names, in order)."""
    if split not in SPLITS:
        raise ImportFailed(f"Unknown split {split!r}: choose one of {', '.join(SPLITS)}.")
    characters = [name.strip() for name in characters if name.strip()]
    if split in ("blank-lines", "paragraphs") and not characters:
        raise ImportFailed("Name the characters whose turns alternate, in order.")
    plan = Plan(source="Chapter text", title=title)
    for name in characters:
        plan.speaker(name)
    for number, chapter_title, lines in _chapters(decode(raw), plan):
        turns = _SPLITTERS[split](lines, characters, plan)
        name = chapter_title or (f"Chapter {number}" if number else title or "Imported chapter")
        mode = Scene.TurnMode.ROUND_ROBIN if split != "whole" else Scene.TurnMode.FREE
        scene = PlannedScene(title=name, posts=turns, turn_mode=mode)
        plan.chapters.append(PlannedChapter(title=name, number=number, scenes=[scene]))
    plan.chapters = [c for c in plan.chapters if c.scenes[0].posts]
    return plan.check()


def _chapters(text, plan):
    """(number, title, [(line number, line)]) for each chapter, chrome left out."""
    number, title, lines = None, "", []
    for index, line in enumerate(text.split("\n"), start=1):
        found = heading(line)
        if found:
            if any(text.strip() for _, text in lines):
                yield number, title, lines
            (number, title), lines = found, []
        elif is_chrome(line):
            plan.dropped.append((f"line {index}", line.strip()))
        else:
            lines.append((index, line.rstrip()))
    yield number, title, lines


def _blocks(lines, blank_lines):
    """Runs of lines separated by at least ``blank_lines`` blank lines: (first line, text)."""
    blocks, current, blanks = [], [], 0
    for index, line in lines:
        if not line.strip():
            blanks += 1
            continue
        if current and blanks >= blank_lines:
            blocks.append(current)
            current = []
        elif current and blanks:
            current.extend([(index, "")] * min(blanks, 1))
        current.append((index, line))
        blanks = 0
    if current:
        blocks.append(current)
    return [(block[0][0], "\n".join(text for _, text in block)) for block in blocks]


def _alternating(blocks, characters):
    return [
        PlannedPost(speaker=characters[i % len(characters)], body=body, where=f"line {line}")
        for i, (line, body) in enumerate(blocks)
    ]


def _by_blank_lines(lines, characters, plan):
    return _alternating(_blocks(lines, 2), characters)


def _by_paragraphs(lines, characters, plan):
    return _alternating(_blocks(lines, 1), characters)


def _whole(lines, characters, plan):
    return [
        PlannedPost(speaker=None, body=body, kind=Post.Kind.NARRATION, where=f"line {line}")
        for line, body in _blocks(lines, len(lines) + 1)
    ]


def _by_names(lines, characters, plan):
    known = {name.casefold(): name for name in characters}
    posts, current = [], None
    for index, line in lines:
        speaker, text = _named(line, known)
        if speaker is not None:
            current = PlannedPost(speaker=plan.speaker(speaker), body=text, where=f"line {index}")
            posts.append(current)
        elif current is None:
            if line.strip():
                current = PlannedPost(None, line, Post.Kind.NARRATION, where=f"line {index}")
                posts.append(current)
        else:
            current.body += "\n" + line
    for post in posts:
        post.body = post.body.strip("\n")
    return [post for post in posts if post.body.strip()]


def _named(line, known):
    """(speaker name, text) when the line opens with a name and a colon, else (None, None).
    With ``known`` names, only those count; without, any short capitalised name."""
    match = _NAME_PREFIX.match(line)
    if not match:
        return None, None
    name = match["name"].strip()
    if known:
        name = known.get(name.casefold())
    elif not (name[:1].isupper() and len(name.split()) <= 3):
        name = None
    return (name, match["text"]) if name else (None, None)


_SPLITTERS = {
    "blank-lines": _by_blank_lines,
    "names": _by_names,
    "paragraphs": _by_paragraphs,
    "whole": _whole,
}
