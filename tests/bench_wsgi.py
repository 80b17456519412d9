"""gunicorn's entry point for `make bench`: the site with tests/bench_settings.py."""

import os

from django.core.wsgi import get_wsgi_application

from rp_archive.warmup import warm_up

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench_settings"
application = get_wsgi_application()
warm_up()  # before gunicorn forks its workers (rp_archive/warmup.py)
