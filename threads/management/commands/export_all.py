"""manage.py export_all DIR: every story's full backup, one rp-archive/1 file each."""

from pathlib import Path

from django.core.management.base import BaseCommand

from threads.interchange import archive
from threads.models import Story


class Command(BaseCommand):
    help = "Write every story's full JSON backup to DIR, as SLUG.json; import_all reads them."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, directory, **options):
        directory.mkdir(parents=True, exist_ok=True)
        stories = Story.objects.order_by("slug")
        for story in stories.iterator():
            path = directory / f"{story.slug}.json"
            path.write_text(archive.dumps(archive.backup(story)), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {stories.count()} stories to {directory}."))
