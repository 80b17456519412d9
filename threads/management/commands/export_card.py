"""manage.py export_card SLUG --format json|png --output FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.interchange import cards
from threads.models import Character


class Command(BaseCommand):
    help = "Export a character as a Character Card (V2, or V3 if it came as one), JSON or PNG."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "png"], default="json")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, slug, format, output, **options):
        character = Character.objects.filter(slug=slug).first()
        if character is None:
            raise CommandError(f"There is no character {slug!r}.")
        if format == "png":
            output.write_bytes(cards.to_png(character))
        else:
            output.write_text(cards.to_json(character), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
