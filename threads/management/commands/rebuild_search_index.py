from django.core.management.base import BaseCommand
from django.db import transaction

from threads.discovery import indexing


class Command(BaseCommand):
    help = (
        "Build the search index again from the archive: after a restore or an import, after "
        "edits made outside the site (the admin, the shell), or on a database that had "
        "stories before search existed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            written = indexing.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} rows for search."))
