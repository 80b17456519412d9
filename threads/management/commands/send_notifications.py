"""Send what waits in the outbox: new-chapter e-mails, daily digests, new-comment e-mails.
Idempotent and safe from cron every minute (threads.library.outbox claims each row).
Each e-mail itself goes out through the task queue (threads.lib.emails.deliver_email)."""

from django.core.management.base import BaseCommand

from threads import tasks
from threads.library import outbox


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox (chapters, digests, comments)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the task worker instead of running it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.send_notifications.enqueue()
            self.stdout.write(f"Queued the outbox run as task {result.id}.")
            return
        sent = outbox.send_due()
        self.stdout.write(f"Sent {sent} e-mail{'s' if sent != 1 else ''}.")
