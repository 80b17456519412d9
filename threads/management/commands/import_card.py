"""manage.py import_card FILE --owner USERNAME"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.interchange import cards
from threads.interchange.plan import ImportFailed
from threads.management import importing


class Command(BaseCommand):
    help = "Import a character card: V2 or V3 as JSON or PNG, or a card pasted as text."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--owner", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, file, owner, dry_run, **options):
        card = importing.parse(file, cards.parse)
        if dry_run:
            self.stdout.write(f"Name: {card.name}\nTagline: {card.tagline}")
            self.stdout.write(f"Greeting: {card.greeting[:200]}")
            self.stdout.write(f"Other fields kept: {', '.join(card.extensions.get('data', {}))}")
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            character = cards.import_card(card, importing.owner(owner))
        except ImportFailed as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {character.name} ({character.slug})."))
