"""manage.py run_turn_deadlines [--dry-run]: remind and skip stalled turns.

Safe to run every few minutes (cron, a systemd timer): a reminder goes out once per turn and a
turn is skipped once, whatever the number of runs (threads.writing.deadlines).
"""

from django.core.management.base import BaseCommand, CommandError

from threads import tasks
from threads.writing import deadlines


class Command(BaseCommand):
    help = (
        "Remind the writer who is up halfway through a scene's turn deadline, and skip the "
        "turn at the deadline. Run it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what is due without changing anything or sending e-mail.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the task worker instead of running it here.",
        )

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if enqueue and not dry_run:
            result = tasks.run_turn_deadlines.enqueue()
            self.stdout.write(f"Queued the turn deadlines run as task {result.id}.")
            return
        try:
            outcomes = deadlines.run(dry_run=dry_run)
        except deadlines.DeadlineError as error:
            # Scenes handled before this one stay handled; the next run carries on.
            raise CommandError(str(error)) from error
        prefix = "Would do: " if dry_run else ""
        for outcome in outcomes:
            self.stdout.write(f"{prefix}{outcome}.")
        if not outcomes:
            self.stdout.write("No turn deadline is due.")
        elif not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Handled {len(outcomes)} turn deadline(s)."))
