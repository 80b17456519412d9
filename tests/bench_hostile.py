"""The bench's hostile-input step: the worst Markdown, diffs and portraits, each against 1 s."""

import statistics

from tests.bench_table import ratio_note, row, timed

# Hostile input (issue 12): what anyone can send must cost well under a second.
HOSTILE_TARGET_MS = 1_000


def time_hostile_input(runs):
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
        report_hostile(f"markdown: {name}", timed(runs, lambda text=text: markup.render(text)))
    for name, run in hostile_pages():
        report_hostile(name, timed(runs, run))
    for name, run in hostile_portraits():
        report_hostile(name, timed(runs, run))


def hostile_pages():
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


def hostile_portraits():
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


def report_hostile(name, timings):
    median = statistics.median(timings)
    row("hostile", name, median, "ms", HOSTILE_TARGET_MS, ratio_note(median, HOSTILE_TARGET_MS)[2:])
