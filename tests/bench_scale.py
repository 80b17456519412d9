"""The bench's steps at scale (--scale): a 100,000-message import and a 5,000-turn chapter text,
and search, tags and the story list over thousands of stories."""

import time
from pathlib import Path

from tests.bench_table import TARGETS_MS, report, row, timed


def write_discord_export(path, count):
    """A DiscordChatExporter-shaped file, written message by message."""
    import json
    from datetime import datetime, timedelta

    start = datetime(2022, 1, 1, 18, 0)
    authors = [
        {"id": "1", "name": "Vesna", "isBot": True},
        {"id": "2", "name": "Aleksei", "isBot": True},
        {"id": "3", "name": "ruth", "nickname": "Ruth", "isBot": False},
    ]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"guild": {"id": "1", "name": "Bench"}, "channel": {"id": "2", "name": "bench"}')
        out.write(', "messages": [')
        for n in range(count):
            author = authors[n % 3]
            content = "((brb))" if n % 50 == 0 else f"Turn {n}: the tide — *again* — turns. " * 3
            message = {
                "id": str(n),
                "type": "Default",
                "timestamp": (start + timedelta(minutes=n)).isoformat() + "+00:00",
                "content": content,
                "author": author,
                "attachments": [],
            }
            out.write(("," if n else "") + json.dumps(message))
        out.write(f'], "messageCount": {count}}}')


def chapter_text(turns):
    body = [f"Chapter {n}: Part {n}\n" for n in range(1, 11)]
    per = turns // len(body)
    return "\n".join(
        heading + "\n\n\n".join(f"Turn {i}: «Тише» — *she* said, twice." for i in range(per))
        for heading in body
    )


def time_import(name, run):
    """Time ``run`` and read the process's peak resident memory while it ran. The peak is
    the kernel's high-water mark, reset before the run (/proc/self/clear_refs), not
    tracemalloc's: tracing every allocation made the import itself three times slower."""
    from threads.models import Post

    before = Post.objects.count()
    start_rss = _reset_peak_rss()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    count = Post.objects.count() - before
    peak = _peak_rss()
    note = f"{count / seconds:,.0f} msgs/s"
    if peak:
        note += f", peak {peak:.0f} MB resident ({peak - start_rss:+.0f} MB)"
    row("import", name, seconds, "s", "", note)


def _reset_peak_rss():
    """Reset the kernel's peak-memory mark of this process; return the memory in use, MB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return 0
    return _status_mb("VmRSS")


def _peak_rss():
    return _status_mb("VmHWM")


def _status_mb(field):
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


# 10,000 stories of 20 posts, built with bulk_create through the one render helper, then
# indexed in bulk; three searches timed as an anonymous reader. Targets are PostgreSQL's.
TARGETS_MS.update({"search: common word": 50, "search: rare phrase": 50, "search: character": 50})


# The scale stories get 3 of 200 tags each (a few tags very common, most rare), ratings and
# warnings; then a filtered story list, a common tag's page and the tag index, anonymous.
TARGETS_MS.update({"list: filtered": 30, "tag page": 30, "tag index": 30})
SCALE_WRITERS, SCALE_CHARACTERS, SCALE_POSTS, SCALE_BATCH = 20, 100, 20, 2000
RARE_PHRASE = "the obsidian heron sang at dusk"


RARE_NAME = "Ysolde Quarrender"


def time_search_at_scale(stories, requests):
    from django.db import connection
    from django.test import Client

    from threads.discovery import indexing

    start = time.perf_counter()
    build_scale(stories)
    built = time.perf_counter()
    rows = indexing.rebuild()
    analyze()
    indexed = time.perf_counter()
    row(
        "scale",
        f"build {stories:,} stories on {connection.vendor}",
        built - start,
        "s",
        "",
        f"{stories * SCALE_POSTS:,} posts; {rows:,} search rows indexed in {indexed - built:.0f} s",
    )
    client = Client()
    searches = {
        "search: common word": "lantern",
        "search: rare phrase": f'"{RARE_PHRASE}"',
        "search: character": RARE_NAME.split()[1],
    }
    for name, q in searches.items():
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200 and b">0 results" not in response.content, q
        timings = []
        for _ in range(min(requests, 10)):
            begin = time.perf_counter()
            client.get("/search/", {"q": q})
            timings.append((time.perf_counter() - begin) * 1000)
        report(name, timings, "scale")


def analyze():
    """Refresh the planner's statistics after a bulk load, as autovacuum soon would on a
    live site (and as PostgreSQL's manual advises after one): without them PostgreSQL planned
    the searches and lists for empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def build_scale(stories):
    import random

    from django.utils import timezone

    from threads.lib.markup import render_markdown_fields
    from threads.models import (
        Chapter,
        Character,
        Membership,
        Participant,
        Post,
        Scene,
        Story,
        User,
    )

    rng, now = random.Random(9), timezone.now()
    syllables = ["ka", "lo", "mi", "ren", "sa", "tu", "vor", "el", "dra", "shi", "no", "quen"]
    vocabulary = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)]
    writers = User.objects.bulk_create(
        User(username=f"scale{n}", password="!") for n in range(SCALE_WRITERS)
    )
    characters = []
    for n in range(SCALE_CHARACTERS):
        name = RARE_NAME if n == 7 else f"{vocabulary[n].title()} {vocabulary[-n].title()}"
        character = Character(owner=writers[n % SCALE_WRITERS], name=name, slug=f"scale-{n}")
        render_markdown_fields(character)
        characters.append(character)
    Character.objects.bulk_create(characters)

    def words(count):
        return " ".join(rng.choices(vocabulary, k=count))

    def bulk(model, objects):
        for instance in objects:
            render_markdown_fields(instance)
        return model.objects.bulk_create(objects, batch_size=SCALE_BATCH)

    for first in range(0, stories, 500):
        batch = range(first, min(first + 500, stories))
        made = bulk(
            Story,
            [
                Story(
                    title=f"{words(2).title()} {n}",
                    slug=f"scale-{n}",
                    summary=words(25),
                    visibility=Story.Visibility.PUBLIC,
                    language="ru" if n % 10 == 0 else "en",
                    updated_at=now,
                    published_chapter_count=1,  # as Chapter.count_in_story keeps it
                )
                for n in batch
            ],
        )
        Membership.objects.bulk_create(
            Membership(
                story=story,
                user=writers[story.pk % SCALE_WRITERS],
                role=Membership.Role.OWNER,
                status=Membership.Status.ACTIVE,
            )
            for story in made
        )
        chapters = bulk(
            Chapter,
            [
                Chapter(story=s, number=1, title=words(3), is_published=True, published_at=now)
                for s in made
            ],
        )
        scenes = Scene.objects.bulk_create(
            Scene(chapter=chapter, position=1, title=words(2)) for chapter in chapters
        )
        Participant.objects.bulk_create(
            Participant(scene=scene, character=characters[(n + i) % SCALE_CHARACTERS], position=i)
            for n, scene in enumerate(scenes, start=first)
            for i in (1, 2)
        )
        posts = []
        for scene in scenes:
            for number in range(1, SCALE_POSTS + 1):
                character = characters[rng.randrange(SCALE_CHARACTERS)]
                body = words(40) + (" lantern" if rng.random() < 0.3 else "")
                if rng.random() < 0.0005 or (first == 0 and not posts):
                    body += f". And {RARE_PHRASE}."
                posts.append(
                    Post(
                        scene=scene,
                        number=number,
                        author_id=character.owner_id,
                        character=character,
                        body=body,
                        status=Post.Status.APPROVED,
                        approved_at=now,
                        published_at=now,
                    )
                )
        bulk(Post, posts)


SCALE_TAGS = 200


def time_tags_at_scale(requests):
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from taggit.models import Tag, TaggedItem

    from threads.models import Rating, Story

    tags = Tag.objects.bulk_create(
        Tag(name=f"scale tag {n}", slug=f"scale-tag-{n}") for n in range(SCALE_TAGS)
    )
    story_type = ContentType.objects.get_for_model(Story)
    pks = list(Story.objects.values_list("pk", flat=True))
    # Tag n is on about 1 / (n + 1) of the stories' slots: tag 0 is everywhere, tag 199 rare.
    weights = [1 / (n + 1) for n in range(SCALE_TAGS)]
    rng = random.Random(11)
    items = [
        TaggedItem(content_type=story_type, object_id=pk, tag=tag)
        for pk in pks
        for tag in set(rng.choices(tags, weights=weights, k=3))
    ]
    TaggedItem.objects.bulk_create(items, batch_size=SCALE_BATCH)
    ratings = [Rating.GENERAL, Rating.TEEN, Rating.MATURE]
    for n, rating in enumerate(ratings):
        Story.objects.filter(pk__in=pks[n :: len(ratings)]).update(rating=rating)
    Story.objects.filter(pk__in=pks[::7]).update(warnings=["violence"])
    client = Client()
    pages = {
        "list: filtered": "/stories/?tag=scale-tag-1&exclude_warning=violence&rating=general"
        "&words_max=100000&sort=words",
        "tag page": "/tags/scale-tag-0/",
        "tag index": "/tags/",
    }
    analyze()
    row("scale", "taggings", len(items), "", "", f"on {len(pks):,} stories")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        timings = timed(min(requests, 20), lambda url=url: uncached_get(client, url))
        report(name, timings, "scale")


def uncached_get(client, url):
    """The view's own time, not the anonymous page cache's (a locmem clear is microseconds)."""
    from threads.views import pagecache

    pagecache.clear()
    return client.get(url)
