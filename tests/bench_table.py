"""The bench's one table: targets, the rows measured, medians and ratios, printed once at
the end."""

import statistics
import time

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


def ratio_note(median, target):
    return f", {median / target:.2f} of target" if target else ""


def timed(runs, run):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(name, timings, group="in process"):
    median = statistics.median(timings)
    target = TARGETS_MS[name]
    row(group, name, median, "ms", target, ratio_note(median, target)[2:])
