"""manage.py export_story SLUG --format epub|html|md|json --output FILE."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.interchange import archive
from threads.interchange.epub import write_epub
from threads.interchange.html import write_html
from threads.interchange.markdown import write_markdown
from threads.interchange.reader_copy import reader_copy
from threads.models import Story

READER_FORMATS = {"epub": write_epub, "html": write_html, "md": write_markdown}


class Command(BaseCommand):
    help = (
        "Write a story to a file: as readers see it (epub, html, md: published chapters, "
        "approved posts, no OOC) or as the owner's full backup (json, rp-archive/1), which "
        "import_story restores."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=[*READER_FORMATS, "json"], default="json")
        parser.add_argument("--output", required=True, type=Path, help="The file to write.")

    def handle(self, slug, format, output, **options):
        story = Story.objects.filter(slug=slug).first()
        if story is None:
            raise CommandError(f"No story has the slug {slug!r}.")
        if format == "json":
            content = archive.dumps(archive.backup(story))
        else:
            content = READER_FORMATS[format](reader_copy(story, None))
        if isinstance(content, str):
            output.write_text(content, encoding="utf-8")
        else:
            output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {story.title!r} to {output}."))
