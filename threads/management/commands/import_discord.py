"""manage.py import_discord FILE --owner USERNAME --story SLUG_OR_TITLE [--map MAPPING_FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.interchange import discord
from threads.interchange.plan import ImportFailed
from threads.management import importing


class Command(BaseCommand):
    help = (
        "Import a Discord channel exported by DiscordChatExporter (JSON), streamed, one post "
        "per message with its time; chapters by a silence of --gap-hours or every --every posts."
    )

    def add_arguments(self, parser):
        importing.add_story_arguments(parser)
        parser.add_argument("--map", type=Path, help="a JSON file mapping authors")
        parser.add_argument("--every", type=int, help="start a chapter every N posts")
        parser.add_argument(
            "--gap-hours",
            type=float,
            default=discord.DEFAULT_GAP_HOURS,
            help="start a chapter after a silence this long (default 24)",
        )

    def handle(self, **options):
        mapping = None
        if options["map"]:
            try:
                mapping = discord.load_mapping(importing.read(options["map"]))
            except ImportFailed as error:
                raise CommandError(f"{options['map']}: {error}") from None
        if options["dry_run"]:
            plan = importing.parse_streamed(
                options["file"], discord.parse, mapping, options["every"], options["gap_hours"]
            )
            importing.run(self, plan, options)
            return
        # Saved as it is read, one chapter in memory at a time, in one transaction.
        with importing.open_file(options["file"]) as source:
            try:
                plan = discord.parse(
                    source, mapping, options["every"], options["gap_hours"], stream=True
                )
            except ImportFailed as error:
                raise CommandError(f"{options['file']}: {error}") from None
            importing.run(self, plan, options)
