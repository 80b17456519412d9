"""Task queue plumbing: trying a task again later, whichever django-tasks backend runs it.

A task that fails for a passing reason (an SMTP server down) enqueues itself again with the
same arguments and ``attempt + 1``, to run after a growing delay. The arguments are the whole
of the work, so nothing lives only in a process's memory: with the database backend a waiting
retry is a row, and a task that used up its tries is a failed row in the admin.
"""

from datetime import timedelta

from django.utils import timezone

# The wait before the 2nd, 3rd, 4th and 5th try: about two and a half hours in all.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=25),
    timedelta(minutes=125),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry(task, *args, attempt, **kwargs):
    """Enqueue ``task(*args, attempt=attempt + 1, **kwargs)`` after its backoff and return
    the result; None when ``attempt`` was the last try. A backend that cannot wait (the
    immediate one, in development) runs the next try at once."""
    if attempt >= MAX_ATTEMPTS:
        return None
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
    return task.enqueue(*args, attempt=attempt + 1, **kwargs)
