"""A SillyTavern chat (.jsonl) into a plan: one scene between the user's persona and the
character. The first line is a header (``user_name``, ``character_name``); each line after
it is one message with ``name``, ``is_user``, ``mes`` and ``send_date``. Read line by line."""

import json
from datetime import UTC, datetime

from threads.models import Post, Scene

from .plan import ImportFailed, Plan, PlannedChapter, PlannedPost, PlannedScene
from .text_import import decode

# send_date has been written several ways over SillyTavern's versions.
DATE_FORMATS = ("%B %d, %Y %I:%M%p", "%B %d, %Y %I:%M %p", "%Y-%m-%d @%Hh %Mm %Ss %fms")


def parse(raw):
    """The plan for the chat ``raw`` (bytes)."""
    lines = decode(raw).split("\n")
    header = _record(lines[0], 1) if lines and lines[0].strip() else None
    if header is None:
        raise ImportFailed("The file is empty.")
    user = str(header.get("user_name") or "You")
    character = str(header.get("character_name") or "")
    plan = Plan(source="SillyTavern chat", title=character or "SillyTavern chat")
    posts = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            post = _post(plan, _record(line, number), number, user, character)
            if post is not None:
                posts.append(post)
    names = [plan.speakers[k].name for k in plan.speakers]
    title = " and ".join(names) or plan.title
    scene = PlannedScene(title=title, posts=posts, turn_mode=Scene.TurnMode.ROUND_ROBIN)
    plan.chapters.append(PlannedChapter(title=plan.title, scenes=[scene]))
    return plan.check()


def _record(line, number):
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"Line {number} is not JSON: {error.msg}.") from None
    if not isinstance(record, dict):
        raise ImportFailed(f"Line {number} is not a JSON object.")
    return record


def _post(plan, record, number, user, character):
    where = f"line {number}"
    if "mes" not in record:
        raise ImportFailed(f"Line {number}: missing field 'mes'.")
    body = str(record["mes"]).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        plan.dropped.append((where, "an empty message"))
        return None
    if record.get("is_system"):
        return PlannedPost(None, body, Post.Kind.NARRATION, _date(plan, record), where)
    is_user = bool(record.get("is_user"))
    name = str(record.get("name") or (user if is_user else character) or "Character")
    note = "your persona" if is_user else "the character"
    speaker = plan.speaker(("user:" if is_user else "char:") + name, name, note=note)
    return PlannedPost(speaker, body, Post.Kind.IN_CHARACTER, _date(plan, record), where)


def _date(plan, record):
    value = record.get("send_date")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value, pattern).replace(tzinfo=UTC)
            except ValueError:
                continue
    if not plan.warnings:
        plan.warnings.append(f"Some messages have no date we can read (“{value}”).")
    return None
