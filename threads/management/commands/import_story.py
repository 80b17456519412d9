"""manage.py import_story FILE: restore an rp-archive/1 backup as a new story."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.interchange import restore


class Command(BaseCommand):
    help = (
        "Restore a story from an rp-archive/1 JSON backup (export_story --format json), "
        "under new ids. Writers are matched by username; missing ones get placeholder "
        "accounts that cannot log in. All or nothing: a bad record is named, nothing saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, file, **options):
        story = import_file(file)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {story.title!r} at {story.get_absolute_url()}")
        )


def import_file(path):
    """Restore one archive file; a CommandError naming the file and record otherwise."""
    try:
        return restore.import_story(restore.load(path.read_bytes()))
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}.") from None
    except restore.ArchiveError as error:
        raise CommandError(f"{path}: {error}") from None
