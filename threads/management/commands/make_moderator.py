"""manage.py make_moderator <username> [--remove]: give a writer the moderators' admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from threads.moderation import MODERATORS_GROUP, moderators_group


class Command(BaseCommand):
    help = (
        "Make a user a moderator: staff status (to log into /admin/) and the Moderators "
        "group (to approve and reject posts, resolve reports, trust and suspend writers). "
        "With --remove, take that away again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--remove", action="store_true", help="Remove the user from the moderators."
        )

    def handle(self, username, remove=False, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        if remove:
            self._remove(user)
        else:
            self._add(user)

    def _add(self, user):
        user.groups.add(moderators_group())
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        self.stdout.write(
            self.style.SUCCESS(f"{user} is a moderator: they can log into /admin/ now.")
        )

    def _remove(self, user):
        user.groups.remove(*user.groups.filter(name=MODERATORS_GROUP))
        # Staff status stays for anyone the admin still has a use for.
        if not user.is_superuser and not user.groups.exists():
            user.is_staff = False
            user.save(update_fields=["is_staff"])
        self.stdout.write(self.style.SUCCESS(f"{user} is no longer a moderator."))
