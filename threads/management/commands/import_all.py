"""manage.py import_all DIR: restore every rp-archive/1 file in DIR, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .import_story import import_file


class Command(BaseCommand):
    help = (
        "Restore every *.json backup in DIR (as export_all writes them), in name order, in "
        "one transaction: if any file is bad, it is named and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, directory, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        files = sorted(directory.glob("*.json"))
        with transaction.atomic():
            for path in files:
                import_file(path)
        self.stdout.write(self.style.SUCCESS(f"Restored {len(files)} stories from {directory}."))
