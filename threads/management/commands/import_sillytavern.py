"""manage.py import_sillytavern FILE --owner USERNAME --story SLUG_OR_TITLE"""

from django.core.management.base import BaseCommand

from threads.interchange import sillytavern
from threads.management import importing


class Command(BaseCommand):
    help = "Import a SillyTavern chat (.jsonl) as a scene between your persona and the character."

    def add_arguments(self, parser):
        importing.add_story_arguments(parser)

    def handle(self, **options):
        plan = importing.parse(options["file"], sillytavern.parse)
        importing.run(self, plan, options)
