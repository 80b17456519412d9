"""Character cards in and out: Character Card V2 and V3 as JSON or PNG, and cards pasted
as text from a character site.

A card's ``name``, ``description``, first message (our ``greeting``), ``creator_notes``
(our tagline, when it is one short line) and image map to our character; every other
field, ``tags`` among them, is kept in ``Character.card_extensions``, so that importing a
card and exporting it again gives an equal card. A PNG card carries the card base64-encoded
in a ``chara`` (V2) or ``ccv3`` (V3) tEXt chunk; when both are there ``ccv3`` wins.
"""

import base64
import binascii
import io
import json
import re
import struct
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, PngImagePlugin

from threads.lib import portraits
from threads.models import Character

from .plan import ImportFailed
from .text_import import decode

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SPECS = {"chara_card_v2": ("chara", "2.0"), "chara_card_v3": ("ccv3", "3.0")}
TAGLINE_MAX = Character._meta.get_field("tagline").max_length


@dataclass
class Card:
    name: str
    description: str = ""
    greeting: str = ""
    tagline: str = ""
    extensions: dict = field(default_factory=dict)  # spec, spec_version, other data fields
    image: bytes | None = None


def parse(raw):
    """A Card from a file's bytes: PNG, JSON, or text pasted from a character site."""
    if not raw.strip():
        raise ImportFailed("The file is empty.")
    if raw.startswith(PNG_SIGNATURE):
        return _from_png(raw)
    text = decode(raw)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFailed(f"Line {error.lineno}: not JSON ({error.msg}).") from None
        return from_json(data)
    return from_pasted_text(text)


def from_json(data):
    """A Card from a V2 or V3 card (or an old V1 card, its fields at the top level)."""
    if not isinstance(data, dict):
        raise ImportFailed("A card must be a JSON object.")
    spec = data.get("spec")
    if spec in SPECS:
        fields = data.get("data")
        if not isinstance(fields, dict):
            raise ImportFailed(f'A {spec} card needs a "data" object.')
        envelope = {k: v for k, v in data.items() if k != "data"}
    else:
        fields, envelope = data, {}
    fields = dict(fields)
    name = str(fields.pop("name", "") or "").strip()
    if not name:
        raise ImportFailed('The card has no "name".')
    card = Card(
        name=name[: Character._meta.get_field("name").max_length],
        description=str(fields.pop("description", "") or ""),
        greeting=str(fields.pop("first_mes", "") or ""),
    )
    notes = fields.get("creator_notes")
    if isinstance(notes, str) and "\n" not in notes and len(notes) <= TAGLINE_MAX:
        card.tagline = fields.pop("creator_notes")
    card.extensions = {**envelope, "data": fields}
    return card


def _from_png(raw):
    chunks = _text_chunks(raw)
    encoded = chunks.get("ccv3") or chunks.get("chara")
    if encoded is None:
        raise ImportFailed("This PNG carries no character card (no chara or ccv3 chunk).")
    try:
        data = json.loads(base64.b64decode(encoded, validate=False).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        which = "ccv3" if "ccv3" in chunks else "chara"
        raise ImportFailed(f"The PNG's {which} chunk is not a base64-encoded JSON card.") from None
    card = from_json(data)
    card.image = raw
    return card


def _text_chunks(raw):
    """The PNG's tEXt chunks as {keyword: text}, read without decoding the picture."""
    chunks, offset = {}, len(PNG_SIGNATURE)
    while offset + 8 <= len(raw):
        length, kind = struct.unpack(">I4s", raw[offset : offset + 8])
        body = raw[offset + 8 : offset + 8 + length]
        if len(body) < length:
            raise ImportFailed(f"The PNG is cut short (a {kind!r} chunk at byte {offset}).")
        if kind == b"tEXt" and b"\0" in body:
            keyword, text = body.split(b"\0", 1)
            chunks[keyword.decode("latin-1")] = text
        elif kind == b"IEND":
            break
        offset += 12 + length
    return chunks


_BY_LINE = re.compile(r"^(?:by|created by|creator:?|made by)\s+\S|^@\S|\bcharacter\.ai\b", re.I)


def from_pasted_text(text):
    """A Card from text copied off a character's page: the name (maybe repeated), a
    tagline, a creator or site line, then the greeting in paragraphs (perhaps opening with
    a bracketed note to the reader, which stays part of it)."""
    lines = text.strip().split("\n")
    name = lines[0].strip()
    half = len(name) // 2
    if len(name) % 2 == 0 and name[:half] == name[half:]:
        name = name[:half]  # "VesnaVesna": the name run together with its alt text
    rest = lines[1:]
    while rest and rest[0].strip().casefold() in ("", name.casefold()):
        rest = rest[1:]
    tagline = ""
    if rest and not _BY_LINE.search(rest[0]) and not rest[0].lstrip().startswith("["):
        tagline, rest = rest[0].strip(), rest[1:]
    while rest and (not rest[0].strip() or _BY_LINE.search(rest[0])):
        rest = rest[1:]
    return Card(name=name[:100], tagline=tagline[:TAGLINE_MAX], greeting="\n".join(rest).strip())


def import_card(card, owner):
    """A new character of ``owner``'s from ``card``, with its image as the portrait."""
    with transaction.atomic():
        character = Character(
            owner=owner,
            name=card.name,
            tagline=card.tagline,
            description=card.description,
            greeting=card.greeting,
            card_extensions=card.extensions,
        )
        if card.image:
            try:
                picture, thumb = portraits.process_portrait(ContentFile(card.image))
            except ValidationError as error:
                raise ImportFailed(" ".join(error.messages)) from None
            character.portrait.save(picture.name, picture, save=False)
            character.portrait_thumb.save(thumb.name, thumb, save=False)
        character.save()
    return character


# --- Out ----------------------------------------------------------------------------------


def to_card(character):
    """The character as a card dict, in the spec it came in (V2 for one made here)."""
    extensions = character.card_extensions or {}
    data = dict(extensions.get("data", {}))
    data.update(name=character.name, description=character.description)
    data["first_mes"] = character.greeting
    if "creator_notes" not in data:
        data["creator_notes"] = character.tagline
    if extensions.get("spec") in SPECS:
        envelope = {k: v for k, v in extensions.items() if k != "data"}
    else:
        envelope = {"spec": "chara_card_v2", "spec_version": "2.0"}
        data.setdefault("tags", [])
        data.setdefault("extensions", {})
    return {**envelope, "data": data}


def to_json(character):
    return json.dumps(to_card(character), ensure_ascii=False, indent=2) + "\n"


def to_png(character):
    """The portrait (or a plain tile) as a PNG carrying the card in its own spec's chunk;
    a V3 card also gets a V2 ``chara`` chunk, for tools that read only that."""
    card = to_card(character)
    info = PngImagePlugin.PngInfo()
    chunk = SPECS[card["spec"]][0] if card.get("spec") in SPECS else "chara"
    if chunk == "ccv3":
        v2 = {**card, "spec": "chara_card_v2", "spec_version": "2.0"}
        info.add_text("chara", _b64(v2))
    info.add_text(chunk, _b64(card))
    buffer = io.BytesIO()
    _picture(character).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def _b64(card):
    return base64.b64encode(json.dumps(card, ensure_ascii=False).encode("utf-8")).decode("ascii")


def _picture(character):
    if character.portrait:
        with character.portrait.open("rb") as stored:
            image = Image.open(io.BytesIO(stored.read()))
            image.load()
        return image.convert("RGBA")
    return Image.new("RGB", (400, 600), (92, 74, 114))
