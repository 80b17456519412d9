"""Discord channel exports and SillyTavern chats: posts with their times, credit, OOC,
attachments listed, chapters by rule, and all or nothing on a bad file."""

import json

import pytest
from django.core.management import CommandError, call_command

from threads.interchange import discord, sillytavern
from threads.interchange.plan import ImportFailed, apply
from threads.models import Character, Post, SearchEntry, Story, User


def message(n, author, content, at="2023-05-01T20:00:00+00:00", **fields):
    return {
        "id": str(1000 + n),
        "type": "Default",
        "timestamp": at,
        "content": content,
        "author": author,
        "attachments": [],
        **fields,
    }


VESNA = {"id": "11", "name": "Vesna", "nickname": "Vesna", "isBot": True}
ALEKSEI = {"id": "12", "name": "Aleksei Varga", "isBot": True}
RUTH = {"id": "13", "name": "ruth_r", "nickname": "Ruth", "isBot": False}


def export(messages, channel="the-salt-clock"):
    data = {"guild": {"id": "1", "name": "Harbour"}, "channel": {"id": "2", "name": channel}}
    return json.dumps({**data, "messages": messages, "messageCount": len(messages)}).encode()


LOG = [
    message(1, VESNA, "The lamps along the quay — *all* of them — went out."),
    message(2, ALEKSEI, "«Свет погас», he said.", at="2023-05-01T20:05:00+00:00"),
    message(3, RUTH, "((back in ten))", at="2023-05-01T20:06:00+00:00"),
    {**message(4, RUTH, "", at="2023-05-01T20:07:00+00:00"), "type": "GuildMemberJoin"},
    message(
        5,
        VESNA,
        "She held up the map.",
        at="2023-05-03T09:00:00+00:00",
        attachments=[{"url": "https://cdn.example/map.png", "fileName": "map.png"}],
    ),
    message(6, RUTH, "// typo above, sorry", at="2023-05-03T09:01:00+00:00"),
]


def test_messages_become_posts_with_their_times_and_credit(owner):
    plan = discord.parse(export(LOG))
    story = apply(plan, owner, "Harbour nights")
    posts = list(
        Post.objects.filter(scene__chapter__story=story)
        .select_related("author", "character")
        .order_by("scene__chapter__number", "number")
    )
    assert [(p.kind, p.character and p.character.name, p.author.display_name) for p in posts] == [
        ("ic", "Vesna", "Vesna"),
        ("ic", "Aleksei Varga", "Aleksei Varga"),
        ("ooc", None, "Ruth"),
        ("ic", "Vesna", "Vesna"),
        ("ooc", None, "Ruth"),
    ]
    assert posts[1].created_at.isoformat() == "2023-05-01T20:05:00+00:00"
    assert posts[1].published_at == posts[1].created_at
    assert "Свет погас" in posts[1].body_html and "—" in posts[0].body_html
    assert all(p.author.is_placeholder for p in posts)


def test_imported_posts_are_found_in_search_under_their_own_dates(owner):
    """Search results, like the posts, are dated when the messages were written, not when
    the log was imported."""
    story = apply(discord.parse(export(LOG)), owner, "Harbour nights")
    posts = Post.objects.filter(scene__chapter__story=story, kind="ic")
    entries = dict(SearchEntry.objects.filter(kind="post").values_list("post_id", "dated"))
    assert {p.pk: p.created_at for p in posts} == {p.pk: entries[p.pk] for p in posts}
    assert str(entries[posts.order_by("number").first().pk].year) == "2023"


def test_attachments_are_listed_as_links_never_fetched():
    plan = discord.parse(export(LOG))
    map_post = [p for p in plan.posts() if "map" in p.body][0]
    assert "- Attachment: [map.png](https://cdn.example/map.png)" in map_post.body


def test_a_day_of_silence_starts_a_chapter_and_system_messages_are_dropped():
    plan = discord.parse(export(LOG))
    assert [len(c.scenes[0].posts) for c in plan.chapters] == [3, 2]
    assert plan.dropped == [("message 4 (id 1004)", "GuildMemberJoin (a system message)")]


def test_every_n_posts_starts_a_chapter():
    plan = discord.parse(export(LOG), every=2)
    assert [len(c.scenes[0].posts) for c in plan.chapters] == [2, 2, 1]


def test_mapping_assigns_authors_to_writers_and_characters(owner, cowriter):
    mapping = discord.load_mapping(
        json.dumps(
            {
                "authors": {
                    "ruth_r": {"writer": "teo"},
                    "11": {"character": "Vesna", "writer": "teo"},
                }
            }
        ).encode()
    )
    story = apply(discord.parse(export(LOG), mapping), owner, "Harbour nights")
    posts = Post.objects.filter(scene__chapter__story=story)
    assert {p.author for p in posts.filter(character__name="Vesna")} == {cowriter}
    assert Character.objects.get(name="Vesna").owner == cowriter
    assert {p.author for p in posts.filter(kind="ooc")} == {cowriter}


def test_broken_json_names_the_last_good_message_and_saves_nothing(owner):
    raw = export(LOG)[:-60]
    with pytest.raises(ImportFailed, match="breaks off after message"):
        discord.parse(raw)


def test_message_without_author_is_named(owner):
    bad = [LOG[0], {k: v for k, v in LOG[1].items() if k != "author"}]
    with pytest.raises(ImportFailed, match=r"Message 2 \(id 1002\): missing field 'author'"):
        discord.parse(export(bad))


def test_empty_and_non_utf8_exports_are_refused():
    with pytest.raises(ImportFailed, match="empty"):
        discord.parse(b"")
    with pytest.raises(ImportFailed):
        discord.parse(export(LOG).replace(b"Vesna", b"V\xe9sna"))


def test_huge_message_is_refused_naming_it(settings):
    settings.RP_MAX_POST_LENGTH = 100
    with pytest.raises(ImportFailed, match=r"Message 2 \(id 1002\): the post would be"):
        discord.parse(export([LOG[0], message(2, VESNA, "x" * 500)]))


def test_windows_line_endings_in_messages_are_made_plain():
    plan = discord.parse(export([message(1, VESNA, "One.\r\nTwo.\rThree.")]))
    assert next(plan.posts()).body == "One.\nTwo.\nThree."


def test_command_dry_run_prints_and_saves_nothing(owner, tmp_path, capsys):
    path = tmp_path / "harbour.json"
    path.write_bytes(export(LOG))
    call_command("import_discord", path, "--owner", "mira", "--story", "Harbour", "--dry-run")
    assert "Vesna: 2 posts (proxy or bot: a character)" in capsys.readouterr().out
    assert not Story.objects.filter(title="Harbour").exists()
    call_command("import_discord", path, "--owner", "mira", "--story", "Harbour", verbosity=0)
    assert Post.objects.filter(scene__chapter__story__title="Harbour").count() == 5


def test_command_bad_file_saves_nothing(owner, tmp_path):
    path = tmp_path / "harbour.json"
    path.write_bytes(export(LOG)[:-60])
    users = User.objects.count()
    with pytest.raises(CommandError, match="harbour.json: The file breaks off"):
        call_command("import_discord", path, "--owner", "mira", "--story", "Harbour")
    assert (Story.objects.count(), User.objects.count()) == (0, users)


# --- SillyTavern --------------------------------------------------------------------------

CHAT = "\n".join(
    json.dumps(line, ensure_ascii=False)
    for line in [
        {"user_name": "Mira", "character_name": "Seraphina", "create_date": "2024-3-3"},
        {"name": "Mira", "is_user": True, "mes": "I knock twice.", "send_date": 1709504520000},
        {
            "name": "Seraphina",
            "is_user": False,
            "mes": "The door opens — *slowly*.\n\n«Входи».",
            "send_date": "March 3, 2024 10:23pm",
        },
        {"name": "Mira", "is_user": True, "mes": "", "send_date": "March 3, 2024 10:24pm"},
    ]
)


def test_sillytavern_chat_is_a_scene_between_persona_and_character(owner):
    story = apply(sillytavern.parse(CHAT.encode()), owner, "The Door")
    scene = story.chapters.get().scenes.get()
    assert scene.title == "Mira and Seraphina"
    assert [p.character.name for p in scene.participants.all()] == ["Mira", "Seraphina"]
    posts = list(scene.posts.order_by("number"))
    assert [p.body for p in posts] == ["I knock twice.", "The door opens — *slowly*.\n\n«Входи»."]
    assert posts[1].created_at.isoformat() == "2024-03-03T22:23:00+00:00"


def test_sillytavern_bad_line_is_named(owner):
    raw = (CHAT + "\r\n{not json}\n").encode()
    with pytest.raises(ImportFailed, match="Line 5 is not JSON"):
        sillytavern.parse(raw)


def test_sillytavern_empty_and_non_utf8_files_are_refused():
    with pytest.raises(ImportFailed, match="empty"):
        sillytavern.parse(b"")
    with pytest.raises(ImportFailed, match="Line 3 is not UTF-8"):
        sillytavern.parse(CHAT.encode().replace(b"slowly", b"sl\xf6wly"))


def test_sillytavern_command(owner, tmp_path):
    path = tmp_path / "door.jsonl"
    path.write_text(CHAT, encoding="utf-8")
    call_command("import_sillytavern", path, "--owner", "mira", "--story", "The Door", verbosity=0)
    assert Post.objects.filter(scene__chapter__story__title="The Door").count() == 2


def test_a_streamed_export_with_a_bad_late_message_saves_nothing(owner):
    bad = [*LOG, {k: v for k, v in message(7, VESNA, "late").items() if k != "timestamp"}]
    plan = discord.parse(export(bad), every=1, stream=True)
    before = (Post.objects.count(), Story.objects.count(), User.objects.count())
    with pytest.raises(ImportFailed, match=r"Message 7 \(id 1007\): missing field 'timestamp'"):
        apply(plan, owner, "Harbour nights")
    assert (Post.objects.count(), Story.objects.count(), User.objects.count()) == before
