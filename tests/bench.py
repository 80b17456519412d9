"""Time the reading pages on a throwaway database and print their medians.

Speed targets live here, not in the test suite: `make bench` (python -m tests.bench) prints
each page's median time and its ratio to a target. The machine is shared and noisy, so it
reports medians over many requests. It lives beside the tests because it builds its data
with the test factories.
"""

import argparse
import os
import statistics
import sys
import time

import django

# Median targets in milliseconds, for a 2-core machine.
TARGETS_MS = {
    "home": 60,
    "story list": 60,
    "story page": 60,
    "chapter (200 posts)": 150,
    # The edit queue diffs each pending edit; a one-word edit of a post at the length limit
    # once took two minutes.
    "diff (100,000 chars)": 50,
    # Exporting a long story to EPUB, as the story page's download does (issue: under 10 s).
    "EPUB (1,000 posts)": 10_000,
}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
            Bench().run(options.requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


class Bench:
    def run(self, requests):
        urls = self._populate()
        self._time(urls, requests)
        self._time_diff(requests)
        self._time_epub(runs=3)
        _time_hostile_input(runs=5)

    def _populate(self):
        from tests.factories import (
            make_chapter,
            make_character,
            make_post,
            make_scene,
            make_story,
            make_user,
        )

        writers = [make_user(), make_user()]
        characters = [make_character(w) for w in writers]
        for n in range(50):
            story = make_story(owner=writers[0], members=[writers[1]], title=f"Bench {n}")
            story.tags.add("bench", f"tag-{n}")
            chapter = make_chapter(story)
        scene = make_scene(chapter, characters)
        for n in range(200):
            make_post(scene, character=characters[n % 2], body="A turn of story text. " * 40)
        return {
            "home": "/",
            "story list": "/stories/",
            "story page": story.get_absolute_url(),
            "chapter (200 posts)": chapter.get_absolute_url(),
        }

    def _time(self, urls, requests):
        from django.test import Client

        client = Client()
        print(f"{'page':<22}{'median ms':>10}{'target ms':>11}{'ratio':>8}")
        for name, url in urls.items():
            client.get(url)  # warm up caches and template loading
            timings = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            _report(name, timings)

    def _time_diff(self, runs):
        """The edit queue's diff of a one-word edit in a post of 100,000 characters."""
        from threads.admin.common import word_diff

        words = [f"word{n % 997}" for n in range(12_700)]
        old = " ".join(words)[:100_000]
        assert len(old) == 100_000
        middle = len(words) // 2
        new = " ".join([*words[:middle], "changed", *words[middle + 1 :]])[:100_000]
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            word_diff(old, new, context=10)
            timings.append((time.perf_counter() - start) * 1000)
        _report("diff (100,000 chars)", timings)

    def _time_epub(self, runs):
        """Export a story of ten chapters of 100 posts each to EPUB."""
        from tests.factories import (
            make_chapter,
            make_character,
            make_post,
            make_scene,
            make_story,
            make_user,
        )
        from threads.interchange.epub import write_epub
        from threads.interchange.reader_copy import reader_copy

        writers = [make_user(), make_user()]
        characters = [make_character(w) for w in writers]
        story = make_story(owner=writers[0], members=[writers[1]], title="Bench EPUB")
        for _ in range(10):
            scene = make_scene(make_chapter(story), characters)
            for n in range(100):
                make_post(scene, character=characters[n % 2], body="A *turn* of text. " * 40)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            write_epub(reader_copy(story, None))
            timings.append((time.perf_counter() - start) * 1000)
        _report("EPUB (1,000 posts)", timings)


# Hostile input (issue 12): what anyone can send must cost well under a second.
HOSTILE_TARGET_MS = 1_000


def _time_hostile_input(runs):
    """Pathological Markdown at the post limit (refused by the pre-scan, shown as plain text
    if saved another way) and text just inside each bound (rendered); a post's history with
    two 20,000-line versions and the edit queue with a 10,000-word edit, through their
    pages; and the largest portrait taken and the 40-million-pixel PNG refused."""
    from tests.test_markup_bounds import ORDINARY, PATHOLOGICAL
    from threads.lib import markup

    print(f"{'hostile input':<48}{'median ms':>10}{'target ms':>11}")
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
    print(f"{name:<48}{median:>10.1f}{HOSTILE_TARGET_MS:>11}")


def _report(name, timings):
    median = statistics.median(timings)
    target = TARGETS_MS[name]
    print(f"{name:<22}{median:>10.1f}{target:>11}{median / target:>8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
