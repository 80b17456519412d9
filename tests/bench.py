"""Measure the site on a throwaway database and print one table of medians.

`make bench` (python -m tests.bench) builds its data with the test factories, then measures,
in interleaved rounds so a noisy moment on the shared machine spreads over every row:
- in process: the reading pages uncached and cached (milliseconds and queries);
- over HTTP: gunicorn with 2 sync workers on 127.0.0.1 and wrk for a few seconds a page:
  requests a second, p50 and p99, beside the floor (a bare Django view returning the same
  bytes, tests/bench_urls.py) and each page's ratio to it;
- the diff, EPUB and hostile-input costs; with --scale, imports, search and tags at scale.
The cache is Redis: REDIS_URL, or a redis-server the bench starts on a free port.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

# Median targets in milliseconds (in process), for a 2-core machine.
TARGETS_MS = {
    "home": 60,
    "story list": 6,
    "story page": 60,
    "chapter, 20 posts": 3,
    "chapter, 200 posts": 150,
    "chapter, 1,000 posts": 150,
    # The edit queue diffs each pending edit; a one-word edit of a post at the length limit
    # once took two minutes.
    "diff (100,000 chars)": 50,
    # Exporting a long story to EPUB, as the story page's download does (issue: under 10 s).
    "EPUB (1,000 posts)": 10_000,
}
# The cached 20-post chapter should serve at least this share of the floor's requests.
FLOOR_TARGET = 0.70
# The page cache never serves a request carrying credentials: this header measures a page
# as it renders, through the same URL and middleware (nothing reads it).
UNCACHED = "Bench no-cache"

ROWS = []  # (group, name, median, unit, target, note): printed once, at the end


def row(group, name, median, unit, target="", note=""):
    ROWS.append((group, name, median, unit, target, note))


def print_table():
    print(f"\n{'':<12}{'measure':<46}{'median':>10} {'unit':<7}{'target':>10}  note")
    group = None
    for current, name, median, unit, target, note in ROWS:
        label = current if current != group else ""
        group = current
        shown = f"{median:,.1f}" if isinstance(median, float) else f"{median:,}"
        print(f"{label:<12}{name:<46}{shown:>10} {unit:<7}{target!s:>10}  {note}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="in-process rounds per page")
    parser.add_argument("--load-rounds", type=int, default=3, help="wrk rounds per page")
    parser.add_argument("--seconds", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn and wrk")
    parser.add_argument(
        "--scale",
        type=int,
        nargs="?",
        const=10_000,
        default=int(os.environ.get("BENCH_SCALE", 0)),
        help="also time the 100,000-message import, and search and tags over this many "
        "stories, 20 posts each (10,000 if no number given; or BENCH_SCALE=10000); takes "
        "several minutes",
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rp-bench-") as folder:
        redis = _start_redis_if_needed(Path(folder))
        try:
            _run(options, Path(folder))
        finally:
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=10)
    print_table()


def _run(options, folder):
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench_settings"
    os.environ.setdefault("BENCH_CACHE_PREFIX", f"bench-{os.getpid()}")
    os.environ["BENCH_FLOOR_FILE"] = str(folder / "floor.html")
    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # A file, not memory: gunicorn's workers open the same database.
        connection.settings_dict["TEST"]["NAME"] = str(folder / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"], DEBUG=False):
            Bench(options, folder).run()
            if options.scale:
                Bench(options, folder).time_imports()
                _time_search_at_scale(options.scale, options.rounds)
                _time_tags_at_scale(options.rounds)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _start_redis_if_needed(folder):
    if os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL"):
        return None
    if not shutil.which("redis-server"):
        print("No REDIS_URL and no redis-server: the cache is this process's memory.")
        return None
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    _wait_for_port(port)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    return process


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, seconds=20, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"The server for port {port} exited with {process.returncode}.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Nothing answered on 127.0.0.1:{port} within {seconds} s.")


class Bench:
    def __init__(self, options, folder):
        self.options = options
        self.folder = folder

    def run(self):
        pages = self._populate()
        self._write_floor(pages)
        self._time_pages({**pages, "floor (same bytes as the 20-post chapter)": "/bench-floor/"})
        if not self.options.no_load:
            self._load(pages)
        self._time_diff(self.options.rounds)
        self._time_epub(runs=3)
        _time_hostile_input(runs=5)

    def _populate(self):
        from tests.factories import make_chapter, make_character, make_story, make_user

        writers = [make_user(), make_user()]
        characters = [make_character(w) for w in writers]
        for n in range(50):
            story = make_story(owner=writers[0], members=[writers[1]], title=f"Bench {n}")
            story.tags.add("bench", f"tag-{n}")
            make_chapter(story)
        long_story = make_story(owner=writers[0], members=[writers[1]], title="Bench Long")
        long_story.tags.add("bench")
        chapters = {}
        for posts in (20, 200, 1000):
            chapter = make_chapter(long_story)
            _bulk_posts(chapter, characters, posts)
            chapters[posts] = chapter.get_absolute_url()
        return {
            "home": "/",
            "story list": "/stories/",
            "story page": long_story.get_absolute_url(),
            "tag page": "/tags/bench/",
            "chapter, 20 posts": chapters[20],
            "chapter, 200 posts": chapters[200],
            "chapter, 1,000 posts": chapters[1000],
        }

    def _write_floor(self, pages):
        from django.test import Client

        Path(os.environ["BENCH_FLOOR_FILE"]).write_bytes(
            Client().get(pages["chapter, 20 posts"], HTTP_AUTHORIZATION=UNCACHED).content
        )

    def _time_pages(self, pages):
        """Each page uncached and cached, one request of each per round, rounds interleaved."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client()
        timings = {
            (name, cached): []
            for name in pages
            for cached in (False, True)
            if cached or not name.startswith("floor")
        }
        queries = {}
        for url in pages.values():
            client.get(url)  # templates loaded, each page in the cache once
        for _ in range(self.options.rounds):
            for (name, cached), times in timings.items():
                client.cookies.clear()
                extra = {} if cached else {"HTTP_AUTHORIZATION": UNCACHED}
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(pages[name], **extra)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (name, response.status_code)
                queries[name, cached] = len(captured)
        for (name, cached), times in timings.items():
            median = statistics.median(times)
            target = TARGETS_MS.get(name, "") if not cached else ""
            mode = "" if name.startswith("floor") else ", cached" if cached else ", uncached"
            row(
                "in process",
                name + mode,
                median,
                "ms",
                target,
                f"{queries[name, cached]} queries" + _ratio_note(median, target),
            )

    def _load(self, pages):
        if not shutil.which("wrk"):
            row("http", "skipped: no wrk (apt-get install -y wrk)", 0, "")
            return
        targets = {
            "floor (same bytes as the 20-post chapter)": ("/bench-floor/", False),
            "chapter, 20 posts, uncached": (pages["chapter, 20 posts"], True),
            "chapter, 20 posts, cached": (pages["chapter, 20 posts"], False),
            "story list, cached": (pages["story list"], False),
            "tag page, cached": (pages["tag page"], False),
        }
        results = {name: [] for name in targets}
        with _gunicorn(workers=2) as base:
            for url, _ in targets.values():
                _warm(base + url)
            for _ in range(self.options.load_rounds):
                for name, (url, uncached) in targets.items():
                    results[name].append(_wrk(base + url, self.options.seconds, uncached))
        floor = statistics.median(
            r[0] for r in results["floor (same bytes as the 20-post chapter)"]
        )
        for name, runs in results.items():
            rps = statistics.median(r[0] for r in runs)
            p50 = statistics.median(r[1] for r in runs)
            p99 = statistics.median(r[2] for r in runs)
            target = f">= {FLOOR_TARGET:.0%}" if name == "chapter, 20 posts, cached" else ""
            row(
                "http",
                name,
                rps,
                "req/s",
                target,
                f"{rps / floor:.0%} of floor, p50 {p50:.1f} ms, p99 {p99:.1f} ms",
            )

    def _time_diff(self, runs):
        """The edit queue's diff of a one-word edit in a post of 100,000 characters."""
        from threads.admin.common import word_diff

        words = [f"word{n % 997}" for n in range(12_700)]
        old = " ".join(words)[:100_000]
        assert len(old) == 100_000
        middle = len(words) // 2
        new = " ".join([*words[:middle], "changed", *words[middle + 1 :]])[:100_000]
        _report("diff (100,000 chars)", _timed(runs, lambda: word_diff(old, new, context=10)))

    def _time_epub(self, runs):
        """Export a story of ten chapters of 100 posts each to EPUB."""
        from tests.factories import make_chapter, make_character, make_story, make_user
        from threads.interchange.epub import write_epub
        from threads.interchange.reader_copy import reader_copy

        writers = [make_user(), make_user()]
        characters = [make_character(w) for w in writers]
        story = make_story(owner=writers[0], members=[writers[1]], title="Bench EPUB")
        for _ in range(10):
            _bulk_posts(make_chapter(story), characters, 100, body="A *turn* of text. " * 40)
        _report("EPUB (1,000 posts)", _timed(runs, lambda: write_epub(reader_copy(story, None))))

    def time_imports(self):
        """Import a generated 100,000-message Discord export and a 5,000-turn chapter text,
        each parsed from its file and saved: time, messages a second and peak memory
        (issue: at least 2,000 messages a second on SQLite, peak under 200 MB)."""
        from tests.factories import make_user
        from threads.interchange import discord, text_import
        from threads.interchange.plan import apply

        owner = make_user()
        log = self.folder / "channel.json"
        _write_discord_export(log, 100_000)
        text = self.folder / "chapter.txt"
        text.write_text(_chapter_text(5_000), encoding="utf-8")
        with log.open("rb") as source:
            _time_import(
                "Discord (100,000 messages)",
                lambda: apply(
                    discord.parse(source, every=1000, stream=True), owner, "Bench Discord"
                ),
            )
        _time_import(
            "text (5,000 turns)",
            lambda: apply(
                text_import.parse(text.read_bytes(), "blank-lines", ["Vesna", "Aleksei"]),
                owner,
                "Bench text",
            ),
        )


def _bulk_posts(chapter, characters, count, body="A turn of story text. " * 40):
    """``count`` approved posts in one new scene of ``chapter``, saved in bulk through the
    one render helper, then published by the scene's frontier as the real path would."""
    from django.utils import timezone

    from tests.factories import make_scene
    from threads.lib.markup import render_markdown_fields
    from threads.models import Post
    from threads.writing import frontier

    scene = make_scene(chapter, characters)
    now = timezone.now()
    posts = []
    for number in range(1, count + 1):
        character = characters[number % len(characters)]
        post = Post(
            scene=scene,
            number=number,
            author_id=character.owner_id,
            character=character,
            kind=Post.Kind.IN_CHARACTER,
            body=body,
            status=Post.Status.APPROVED,
            approved_at=now,
        )
        render_markdown_fields(post)
        posts.append(post)
    Post.objects.bulk_create(posts, batch_size=500)
    frontier.refresh(scene.pk, now=now)
    return scene


class _gunicorn:
    """gunicorn with the deployment's config, on a free port of 127.0.0.1, on the bench's
    database and cache; stopped on exit."""

    def __init__(self, workers):
        self.workers = workers

    def __enter__(self):
        from django.db import connection

        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(connection.settings_dict),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_ACCESS_LOG": "off",
        }
        config = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "gunicorn", "-c", str(config)]
            + ["tests.bench_wsgi:application"],
            env=env,
            cwd=config.parent.parent,
        )
        _wait_for_port(port, process=self.process)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def _database_url(settings):
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user, password = settings["USER"], settings["PASSWORD"]
    return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def _warm(url):
    import urllib.request

    for _ in range(4):  # every worker renders once (templates, connections)
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http only
            assert response.status == 200, (url, response.status)


def _wrk(url, seconds, uncached):
    """Requests a second, p50 and p99 in ms, with two threads and four connections."""
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", url]
    if uncached:
        command[1:1] = ["-H", f"Authorization: {UNCACHED}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk got errors from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, _latency(out, "50%"), _latency(out, "99%")


def _latency(out, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _ratio_note(median, target):
    return f", {median / target:.2f} of target" if target else ""


def _write_discord_export(path, count):
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


def _chapter_text(turns):
    body = [f"Chapter {n}: Part {n}\n" for n in range(1, 11)]
    per = turns // len(body)
    return "\n".join(
        heading + "\n\n\n".join(f"Turn {i}: «Тише» — *she* said, twice." for i in range(per))
        for heading in body
    )


def _time_import(name, run):
    import tracemalloc

    from threads.models import Post

    before = Post.objects.count()
    tracemalloc.start()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    count = Post.objects.count() - before
    row("import", name, seconds, "s", "", f"{count / seconds:,.0f} msgs/s, peak {peak:.0f} MB")


# --- Search at scale (make bench, with --scale or BENCH_SCALE) ---------------------------
# 10,000 stories of 20 posts, built with bulk_create through the one render helper, then
# indexed in bulk; three searches timed as an anonymous reader. Targets are PostgreSQL's.
TARGETS_MS.update({"search: common word": 50, "search: rare phrase": 50, "search: character": 50})
SCALE_WRITERS, SCALE_CHARACTERS, SCALE_POSTS, SCALE_BATCH = 20, 100, 20, 2000
RARE_PHRASE = "the obsidian heron sang at dusk"
RARE_NAME = "Ysolde Quarrender"


def _time_search_at_scale(stories, requests):
    from django.db import connection
    from django.test import Client

    from threads.discovery import indexing

    start = time.perf_counter()
    _build_scale(stories)
    built = time.perf_counter()
    rows = indexing.rebuild()
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
        _report(name, timings, "scale")


def _build_scale(stories):
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


# --- Tags and the story list at scale (after the search step, on its data) ------------------
# The scale stories get 3 of 200 tags each (a few tags very common, most rare), ratings and
# warnings; then a filtered story list, a common tag's page and the tag index, anonymous.
TARGETS_MS.update({"list: filtered": 30, "tag page": 30, "tag index": 30})
SCALE_TAGS = 200


def _time_tags_at_scale(requests):
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
    row("scale", "taggings", len(items), "", "", f"on {len(pks):,} stories")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        timings = _timed(min(requests, 20), lambda url=url: _uncached_get(client, url))
        _report(name, timings, "scale")


def _uncached_get(client, url):
    """The view's own time, not the anonymous page cache's (a locmem clear is microseconds)."""
    from django.core.cache import cache

    cache.clear()
    return client.get(url)


# Hostile input (issue 12): what anyone can send must cost well under a second.
HOSTILE_TARGET_MS = 1_000


def _time_hostile_input(runs):
    """Pathological Markdown at the post limit (refused by the pre-scan, shown as plain text
    if saved another way) and text just inside each bound (rendered); a post's history with
    two 20,000-line versions and the edit queue with a 10,000-word edit, through their
    pages; and the largest portrait taken and the 40-million-pixel PNG refused."""
    from tests.test_markup_bounds import ORDINARY, PATHOLOGICAL
    from threads.lib import markup

    inside = {
        "2,999 list items": "1. item\n" * 2_999,
        "3,999 emphasis spans (7,998 marks)": "*x* " * 3_999,
        "lines at the nesting budget": ("> " * 10 + "a line of quoted text\n") * 600,
        "prose at the 100,000 limit": ORDINARY["prose at the limit"],
    }
    for name, text in [*PATHOLOGICAL.items(), *inside.items()]:
        _report_hostile(f"markdown: {name}", _timed(runs, lambda text=text: markup.render(text)))
    for name, run in _hostile_pages():
        _report_hostile(name, _timed(runs, run))
    for name, run in _hostile_portraits():
        _report_hostile(name, _timed(runs, run))


def _hostile_pages():
    from django.test import Client
    from django.urls import reverse

    from tests.factories import make_cast, make_moderator, make_post
    from threads.writing import posting

    cast = make_cast()
    lines = [f"{n % 97}" for n in range(20_000)]
    post = make_post(cast.scene, character=cast.aleksei, body="\n".join(lines))
    posting.edit_post(post, cast.mira, "\n".join(reversed(lines)))
    words = [f"salt{n % 89}" for n in range(10_000)]
    edited = make_post(cast.scene, character=cast.aleksei, body=" ".join(words))
    posting.edit_post(edited, cast.mira, " ".join(f"flat{n % 83}" for n in range(10_000)))
    author, moderator = Client(), Client()
    author.force_login(cast.mira)
    moderator.force_login(make_moderator())
    history = reverse("post_history", args=[post.pk])
    queue = reverse("admin:threads_pendingedit_changelist")

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return [
        ("history: two 20,000-line versions", lambda: get(author, history)),
        ("edit queue: a 10,000-word edit", lambda: get(moderator, queue)),
    ]


def _hostile_portraits():
    import io

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from threads.lib import portraits

    def png(width, height):
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (40, 80, 120)).save(buffer, format="PNG")
        return buffer.getvalue()

    largest, bomb = png(4096, 4096), png(8000, 5000)

    def process(data, refused):
        try:
            portraits.process_portrait(SimpleUploadedFile("p.png", data))
        except ValidationError:
            assert refused
        else:
            assert not refused

    return [
        ("portrait: 4096 × 4096 PNG (taken)", lambda: process(largest, False)),
        ("portrait: 40 MP PNG (refused)", lambda: process(bomb, True)),
    ]


def _timed(runs, run):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _report_hostile(name, timings):
    median = statistics.median(timings)
    row(
        "hostile", name, median, "ms", HOSTILE_TARGET_MS, _ratio_note(median, HOSTILE_TARGET_MS)[2:]
    )


def _report(name, timings, group="in process"):
    median = statistics.median(timings)
    target = TARGETS_MS[name]
    row(group, name, median, "ms", target, _ratio_note(median, target)[2:])


if __name__ == "__main__":
    main(sys.argv[1:])
