"""Send what waits in the outbox: new-chapter e-mails, daily digests, new-comment e-mails.
Idempotent and safe from cron every minute (threads.library.outbox claims each row)."""

from django.core.management.base import BaseCommand

from threads.library import outbox


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox (chapters, digests, comments)."

    def handle(self, *args, **options):
        sent = outbox.send_due()
        self.stdout.write(f"Sent {sent} e-mail{'s' if sent != 1 else ''}.")
