"""Work done outside the request, as django-tasks tasks (TASKS in rp_archive/settings.py).

Every e-mail goes through ``threads.lib.emails.deliver_email``. The outbox (chapter e-mails,
digests, comment e-mails) and turn deadlines are periodic: ``manage.py send_notifications``
and ``manage.py run_turn_deadlines`` run them from cron or a systemd timer, or with
``--enqueue`` hand them to the worker. A large import confirmed on the site is saved by
``import_upload``, and its owner told by e-mail. Arguments are plain JSON (ids, strings),
so a task waiting in the database or in Redis holds everything it needs.
"""

import base64

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from threads.interchange.plan import ImportFailed, apply
from threads.interchange.uploads import parse_upload
from threads.lib.emails import send_to_user
from threads.library import outbox
from threads.models import Story, User
from threads.writing import deadlines


@task()
def send_notifications():
    """Send what waits in the outbox; how many e-mails were queued."""
    return outbox.send_due()


@task()
def run_turn_deadlines():
    """Remind and skip stalled turns; what was done, one line each."""
    return [str(outcome) for outcome in deadlines.run()]


def enqueue_import(owner, story, source, options, raw, name):
    """Save the upload ``raw`` into ``story`` in the worker; the owner hears by e-mail."""
    data = base64.b64encode(raw).decode("ascii")
    return import_upload.enqueue(owner.pk, story.pk, source, options, data, name)


@task()
def import_upload(owner_id, story_id, source, options, data, name):
    """Parse and save an upload all or nothing, as the import page would, and e-mail the
    owner the outcome. The file itself is in ``data`` (base64): no server's disk is needed."""
    owner = User.objects.get(pk=owner_id)
    story = Story.objects.filter(pk=story_id).first()
    try:
        if story is None or owner.is_suspended:
            raise ImportFailed("The story can no longer be imported into.")
        plan = parse_upload(source, base64.b64decode(data), options)
        story = apply(plan, owner, story.slug)
    except ImportFailed as error:
        _tell_import_failed(owner, story, name, str(error))
        return f"not imported: {error}"
    chapter_url = settings.SITE_URL + story.imported_chapters[0].get_absolute_url()
    context = {"story": story, "name": name, "post_count": story.imported_posts}
    send_to_user(owner, "import_done", {**context, "chapter_url": chapter_url})
    return f"imported {story.imported_posts} posts"


def _tell_import_failed(owner, story, name, reason):
    upload_url = settings.SITE_URL + (
        reverse("import_upload", args=[story.slug]) if story else reverse("my_stories")
    )
    context = {
        "story_title": story.title if story else "a story you no longer own",
        "name": name,
        "reason": reason,
        "upload_url": upload_url,
    }
    send_to_user(owner, "import_failed", context)
