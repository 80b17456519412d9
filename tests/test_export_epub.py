"""The EPUB passes epubcheck, the reference validator, with no errors and no warnings."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.export_story import make_told_story
from threads.interchange.epub import write_epub
from threads.interchange.reader_copy import reader_copy

# Debian's /usr/bin/epubcheck cannot always be run directly; the jar always can.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# One short run: the quick JIT and a small collector halve Java's start-up time.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def epubcheck_command():
    java = shutil.which("java")
    if java and EPUBCHECK_JAR.exists():
        return [java, *JAVA_FLAGS, "-jar", str(EPUBCHECK_JAR)]
    pytest.skip(
        "epubcheck needs Java and /usr/share/java/epubcheck.jar: apt-get install "
        "epubcheck default-jre-headless (.ci/run does)"
    )


def test_epub_passes_epubcheck_without_errors_or_warnings(db, settings, tmp_path):
    command = epubcheck_command()
    settings.MEDIA_ROOT = tmp_path
    told = make_told_story()
    told.story.title = "A <b>bold</b> road & “quotes”"
    told.story.save()
    book = tmp_path / "story.epub"
    book.write_bytes(write_epub(reader_copy(told.story, None)))
    result = subprocess.run(  # noqa: S603 (our own fixed command line)
        [*command, str(book)], capture_output=True, text=True, timeout=120
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No errors or warnings detected" in report, report
