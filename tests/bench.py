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
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

from tests.bench_hostile import time_hostile_input
from tests.bench_scale import (
    chapter_text,
    time_import,
    time_search_at_scale,
    time_tags_at_scale,
    write_discord_export,
)
from tests.bench_servers import UNCACHED, Gunicorn, start_redis_if_needed, warm, wrk
from tests.bench_table import FLOOR_TARGET, TARGETS_MS, print_table, ratio_note, report, row, timed


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
        redis = start_redis_if_needed(Path(folder))
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
                time_search_at_scale(options.scale, options.rounds)
                time_tags_at_scale(options.rounds)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


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
        time_hostile_input(runs=5)

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
                f"{queries[name, cached]} queries" + ratio_note(median, target),
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
        with Gunicorn(workers=2) as base:
            for url, _ in targets.values():
                warm(base + url)
            for _ in range(self.options.load_rounds):
                for name, (url, uncached) in targets.items():
                    results[name].append(wrk(base + url, self.options.seconds, uncached))
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
        report("diff (100,000 chars)", timed(runs, lambda: word_diff(old, new, context=10)))

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
        report("EPUB (1,000 posts)", timed(runs, lambda: write_epub(reader_copy(story, None))))

    def time_imports(self):
        """Import a generated 100,000-message Discord export and a 5,000-turn chapter text,
        each parsed from its file and saved: time, messages a second and peak memory
        (issue: at least 2,000 messages a second on SQLite, peak under 200 MB)."""
        from tests.factories import make_user
        from threads.interchange import discord, text_import
        from threads.interchange.plan import apply

        owner = make_user()
        log = self.folder / "channel.json"
        write_discord_export(log, 100_000)
        text = self.folder / "chapter.txt"
        text.write_text(chapter_text(5_000), encoding="utf-8")
        with log.open("rb") as source:
            time_import(
                "Discord (100,000 messages)",
                lambda: apply(
                    discord.parse(source, every=1000, stream=True), owner, "Bench Discord"
                ),
            )
        time_import(
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


if __name__ == "__main__":
    main(sys.argv[1:])
