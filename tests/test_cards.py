"""Character cards: V2 and V3 JSON, PNG chunks (ccv3 preferred), pasted text, round trips."""

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image, PngImagePlugin

from threads.interchange import cards
from threads.interchange.plan import ImportFailed
from threads.models import Character

# Written for these tests.
V2_CARD = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {
        "name": "Vesna Orlova",
        "description": "A ferry pilot who reads the fog — and distrusts maps.",
        "personality": "dry, patient",
        "scenario": "A harbour town at the end of the line.",
        "first_mes": "*The fog horn sounds twice.* «Опоздал», she says.",
        "mes_example": "",
        "creator_notes": "Harbour pilot, night shift",
        "system_prompt": "",
        "post_history_instructions": "",
        "alternate_greetings": ["She does not look up."],
        "tags": ["harbour", "slow burn"],
        "creator": "mira",
        "character_version": "1.1",
        "extensions": {"talkativeness": "0.4"},
    },
}
V3_CARD = {
    "spec": "chara_card_v3",
    "spec_version": "3.0",
    "data": {**V2_CARD["data"], "nickname": "Ves", "group_only_greetings": [], "assets": []},
}


def png_with(**chunks):
    info = PngImagePlugin.PngInfo()
    for key, card in chunks.items():
        info.add_text(key, base64.b64encode(json.dumps(card).encode()).decode())
    buffer = io.BytesIO()
    Image.new("RGB", (64, 96), (20, 40, 60)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.parametrize("card", [V2_CARD, V3_CARD], ids=["v2", "v3"])
def test_json_card_maps_fields_and_exports_equal(owner, card):
    parsed = cards.parse(json.dumps(card, ensure_ascii=False).encode())
    character = cards.import_card(parsed, owner)
    character.refresh_from_db()
    assert character.name == "Vesna Orlova"
    assert character.tagline == "Harbour pilot, night shift"
    assert character.greeting.startswith("*The fog horn")
    assert character.card_extensions["data"]["tags"] == ["harbour", "slow burn"]
    assert cards.to_card(character) == card


def test_png_card_prefers_ccv3_and_round_trips(owner):
    raw = png_with(chara={**V2_CARD, "data": {**V2_CARD["data"], "name": "Old"}}, ccv3=V3_CARD)
    character = cards.import_card(cards.parse(raw), owner)
    assert character.name == "Vesna Orlova" and character.portrait
    exported = cards.to_png(character)
    again = cards.import_card(cards.parse(exported), owner)
    assert cards.to_card(again) == cards.to_card(character) == V3_CARD


def test_png_card_with_only_chara_round_trips(owner):
    character = cards.import_card(cards.parse(png_with(chara=V2_CARD)), owner)
    again = cards.import_card(cards.parse(cards.to_png(character)), owner)
    assert cards.to_card(again) == V2_CARD


def test_png_without_a_card_is_refused():
    with pytest.raises(ImportFailed, match="no character card"):
        cards.parse(png_with())


def test_pasted_text_card_lands_in_the_right_fields():
    text = (
        "Vesna Orlova\nVesna Orlova\nThe pilot who never takes the same route twice\n"
        "By @saltwriter\n\n[A note: this starts on the night ferry.]\n\n"
        "You step onto the deck. The fog is thick — thicker than you have ever seen.\r\n\r\n"
        "Somewhere aft, a woman laughs."
    )
    card = cards.parse(text.encode())
    assert card.name == "Vesna Orlova"
    assert card.tagline == "The pilot who never takes the same route twice"
    assert card.greeting.startswith("[A note: this starts on the night ferry.]\n\nYou step")
    assert card.greeting.endswith("a woman laughs.")


def test_malformed_empty_and_non_utf8_cards_are_refused(owner):
    with pytest.raises(ImportFailed, match="Line 2: not JSON"):
        cards.parse(b'{"spec": "chara_card_v2",\n "data": {oops}}')
    with pytest.raises(ImportFailed, match="empty"):
        cards.parse(b"  \n")
    with pytest.raises(ImportFailed, match="Line 1 is not UTF-8"):
        cards.parse(b"Vesn\xe1\nA pilot\n")
    with pytest.raises(ImportFailed, match='no "name"'):
        cards.parse(json.dumps({"spec": "chara_card_v2", "data": {}}).encode())
    assert not Character.objects.exists()


def test_card_commands_round_trip(owner, tmp_path):
    source = tmp_path / "vesna.json"
    source.write_text(json.dumps(V2_CARD), encoding="utf-8")
    call_command("import_card", source, "--owner", "mira")
    character = Character.objects.get()
    out = tmp_path / "out.png"
    call_command("export_card", character.slug, "--format", "png", "--output", out)
    call_command("import_card", out, "--owner", "mira", "--dry-run")
    assert Character.objects.count() == 1
    with pytest.raises(CommandError, match="no character card"):
        bare = tmp_path / "bare.png"
        Image.new("RGB", (4, 4)).save(bare)
        call_command("import_card", bare, "--owner", "mira")
