"""manage.py make_invite ADDRESS: an invitation code for a site with RP_REGISTRATION=invite."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from threads.accounts import invitations


class Command(BaseCommand):
    help = "Print an invitation code (and the sign-up link) for one e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the address the new account will use")

    def handle(self, *args, email, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        code = invitations.make(email)
        if settings.RP_REGISTRATION != "invite":
            self.stderr.write(
                f"Note: RP_REGISTRATION is {settings.RP_REGISTRATION!r}, so sign-up does not "
                "ask for this code."
            )
        self.stdout.write(f"Invitation for {email}, good for {settings.RP_INVITE_DAYS} days:")
        self.stdout.write(f"  code: {code}")
        self.stdout.write(f"  link: {invitations.signup_url(code)}")
