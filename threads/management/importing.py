"""What the import commands share: reading the file, --owner, --story and --dry-run, and
running a plan with a progress bar (threads/interchange/plan.py)."""

from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from threads.interchange import plan as plans
from threads.models import User


def add_story_arguments(parser):
    parser.add_argument("file", type=Path)
    parser.add_argument("--owner", required=True, help="the username the story belongs to")
    parser.add_argument(
        "--story", help="the story's slug or title; a new story is made if the owner has none"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the preview and save nothing")


def read(path):
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}.") from None


def owner(username):
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active writer {username!r}.")
    return user


def parse(path, parser, *args, **kwargs):
    """The plan ``parser`` makes of the file, or a CommandError naming the file and line."""
    try:
        return parser(read(path), *args, **kwargs)
    except plans.ImportFailed as error:
        raise CommandError(f"{path}: {error}") from None


def open_file(path):
    try:
        return path.open("rb")
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}.") from None


def parse_streamed(path, parser, *args, **kwargs):
    """As ``parse``, handing the parser the open file, for parsers that stream it."""
    try:
        with path.open("rb") as source:
            return parser(source, *args, **kwargs)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}.") from None
    except plans.ImportFailed as error:
        raise CommandError(f"{path}: {error}") from None


def run(command, plan, options):
    """Print the preview (--dry-run), or save the plan with a progress bar."""
    if options["dry_run"]:
        for line in plans.describe(plan):
            command.stdout.write(line)
        command.stdout.write("Dry run: nothing was saved.")
        return None
    user = owner(options["owner"])
    story_ref = options.get("story") or plan.title
    # A streamed plan's size is known only once it is saved: the bar counts without a total.
    with tqdm(total=plan.post_count, unit="post", disable=options["verbosity"] < 1) as bar:
        try:
            story = plans.apply(plan, user, story_ref, progress=bar.update)
        except plans.ImportFailed as error:
            raise CommandError(f"{options['file']}: {error}") from None
    command.stdout.write(
        command.style.SUCCESS(
            f"Imported {story.imported_posts:,} posts into {story.title!r} "
            f"at {story.get_absolute_url()}"
        )
    )
    return story
