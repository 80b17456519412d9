"""A Discord channel, as DiscordChatExporter writes it in JSON, into a plan.

The file is streamed with ijson (messages one at a time), so a 100,000-message export
never sits in memory as JSON. Each message with text or attachments becomes a post, its
timestamp kept; joins, pins and other system messages are dropped and counted. Authors
are mapped to characters or writers (``load_mapping``); without a mapping every author is
a character of that name, which suits proxy bots (Tupperbox, PluralKit), who post under the
character's name. Messages in ((double parentheses)) or starting with // are OOC.
Attachments are listed in the post as links, and never fetched.
"""

import io
import json
from datetime import datetime, timedelta

import ijson

from threads.models import Post, Scene

from .plan import ImportFailed, Plan, PlannedChapter, PlannedPost, PlannedScene
from .text_import import decode

POST_TYPES = {"Default", "Reply"}
# Split into a new chapter after this long a silence, or every N posts.
DEFAULT_GAP_HOURS = 24


def load_mapping(raw):
    """The mapping file: ``{"authors": {KEY: VALUE}}``, where KEY is an author's id, name or
    nickname and VALUE a character's name, ``{"character": NAME, "writer": USERNAME}``
    (either or both) or ``{"skip": true}``."""
    try:
        data = json.loads(decode(raw))
        authors = data["authors"]
        if not isinstance(authors, dict):
            raise TypeError
    except ImportFailed:
        raise
    except (ValueError, KeyError, TypeError):
        raise ImportFailed(
            'The mapping file must be JSON like {"authors": {"Tupperbox name": "Vesna"}}.'
        ) from None
    mapping = {}
    for key, value in authors.items():
        value = {"character": value} if isinstance(value, str) else value
        if not isinstance(value, dict) or not {"character", "writer", "skip"} & set(value):
            raise ImportFailed(f"Mapping for {key!r}: give a character, a writer or skip.")
        mapping[str(key)] = value
    return mapping


def parse(raw, mapping=None, every=None, gap_hours=DEFAULT_GAP_HOURS, stream=False):
    """The plan for a DiscordChatExporter JSON file ``raw`` (bytes, or a binary file),
    one chapter per run of messages without a ``gap_hours`` silence, or per ``every`` posts.
    With ``stream``, the plan's chapters are read from the file only as they are saved
    (plan.apply), so memory holds one chapter at a time whatever the file's size."""
    source = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    channel = _channel(source)
    plan = Plan(source="Discord channel", title=channel.get("name") or "Discord channel")
    gap = timedelta(hours=gap_hours)
    chapters = _chapters(plan, source, mapping or {}, every, gap)
    if stream:
        plan.chapters = chapters
        return plan
    plan.chapters = list(chapters)
    return plan.check()


def _chapters(plan, source, mapping, every, gap):
    """Each chapter once its last post is read."""
    source.seek(0)
    chapter, last = None, None
    for index, message in _messages(source):
        where = f"message {index}" + (f" (id {message.get('id')})" if message.get("id") else "")
        try:
            post = _post(plan, message, mapping, where)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ImportFailed(f"{where.capitalize()}: {_reason(error)}.") from None
        if post is None:
            continue
        posts = chapter.scenes[0].posts if chapter else None
        if posts is None or (len(posts) >= every if every else post.created_at - last >= gap):
            if chapter:
                yield chapter
            chapter = _chapter(plan.title, post)
        chapter.scenes[0].posts.append(post)
        last = post.created_at
    if chapter:
        yield chapter


def _chapter(channel, first):
    title = f"{channel}, {first.created_at:%-d %B %Y}"
    scene = PlannedScene(title=title, turn_mode=Scene.TurnMode.FREE)
    return PlannedChapter(title=title, scenes=[scene])


def _channel(source):
    source.seek(0)
    if not source.read(1):
        raise ImportFailed("The file is empty.")
    source.seek(0)
    try:
        # The channel comes before the messages, so this stops reading early.
        for channel in ijson.items(source, "channel"):
            return channel if isinstance(channel, dict) else {}
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise ImportFailed(f"This is not a DiscordChatExporter JSON file: {error}.") from None
    return {}


def _messages(source):
    index = 0
    try:
        for index, message in enumerate(ijson.items(source, "messages.item", use_float=True), 1):
            if not isinstance(message, dict):
                raise ImportFailed(f"Message {index} is not a JSON object.")
            yield index, message
    except (ijson.JSONError, UnicodeDecodeError) as error:
        raise ImportFailed(
            f"The file breaks off after message {index}: it is not valid JSON ({error})."
        ) from None
    if index == 0:
        raise ImportFailed('There are no messages in this file (no "messages" list).')


def _reason(error):
    if isinstance(error, KeyError):
        return f"missing field {error}"
    return str(error) or type(error).__name__


def _post(plan, message, mapping, where):
    kind = message.get("type", "Default")
    if kind not in POST_TYPES:
        plan.dropped.append((where, f"{kind} (a system message)"))
        return None
    author = message["author"]
    content = (message.get("content") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    body = "\n\n".join(filter(None, [content, _attachments(message.get("attachments") or [])]))
    if not body:
        plan.dropped.append((where, "no text (an embed or sticker only)"))
        return None
    speaker = _speaker(plan, author, mapping)
    if speaker is False:
        plan.dropped.append((where, f"by {author.get('name')}, skipped by the mapping"))
        return None
    ooc = (content.startswith("((") and content.endswith("))")) or content.startswith("//")
    return PlannedPost(
        speaker=speaker,
        body=body,
        kind=Post.Kind.OUT_OF_CHARACTER if ooc else Post.Kind.IN_CHARACTER,
        created_at=datetime.fromisoformat(message["timestamp"]),
        where=where,
    )


def _attachments(attachments):
    lines = []
    for attachment in attachments:
        name = (attachment.get("fileName") or "attachment").replace("]", ")")
        url = attachment.get("url") or ""
        link = f"[{name}]({url})" if url.startswith("https://") else name
        lines.append(f"- Attachment: {link}")
    return "\n".join(lines)


def _speaker(plan, author, mapping):
    """The plan's speaker key for this author (its id), False if the mapping skips it."""
    key = str(author.get("id") or author["name"])
    if key in plan.speakers:
        return key
    shown = author.get("nickname") or author["name"]
    mapped = next(
        (mapping[k] for k in (key, author.get("name"), author.get("nickname")) if k in mapping),
        None,
    )
    if mapped is None:
        note = "proxy or bot: a character" if author.get("isBot") else "Discord account"
        return plan.speaker(key, shown, note=note)
    if mapped.get("skip"):
        return False
    return plan.speaker(
        key,
        mapped.get("character") or shown,
        writer=mapped.get("writer"),
        character=bool(mapped.get("character")) or not mapped.get("writer"),
        note=f"mapped from {shown}",
    )
