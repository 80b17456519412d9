"""manage.py import_text FILE --owner USERNAME --story SLUG_OR_TITLE --split MODE"""

from django.core.management.base import BaseCommand

from threads.interchange import text_import
from threads.management import importing


class Command(BaseCommand):
    help = (
        "Import chapter text copied from a reading site (plain text or Markdown): headings "
        "start chapters, site chrome is dropped, turns are split by --split. All or nothing."
    )

    def add_arguments(self, parser):
        importing.add_story_arguments(parser)
        parser.add_argument("--split", choices=list(text_import.SPLITS), default="blank-lines")
        parser.add_argument(
            "--characters", default="", help='the characters in posting order: "Name A,Name B"'
        )

    def handle(self, **options):
        names = options["characters"].split(",")
        title = options["story"] or options["file"].stem
        plan = importing.parse(
            options["file"], text_import.parse, options["split"], names, title=title
        )
        importing.run(self, plan, options)
