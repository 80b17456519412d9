"""What every app server process would otherwise do on its first requests, done once as the
WSGI application loads: compiling the site's templates and the URL patterns.

gunicorn loads the application in its master process (``preload_app`` in
deploy/gunicorn.conf.py) and forks its workers from it, so each worker starts with both
ready, including the worker that replaces one retired after ``max_requests``. Cold, a
worker's first chapter page took 250 ms instead of 18, and those restarts were the 340 to
550 ms p99 of the bench's cached pages. Nothing here touches the database or the cache:
connections opened before the fork would be shared by every worker."""

from pathlib import Path

from django.template import engines
from django.urls import reverse


def warm_up():
    reverse("home")  # builds the URL resolver's tables, for reversing and resolving
    for engine in engines.all():  # kept compiled by the cached loader (when DEBUG is off)
        for folder in map(Path, engine.dirs):
            for path in sorted(folder.rglob("*.html")):
                engine.get_template(path.relative_to(folder).as_posix())
