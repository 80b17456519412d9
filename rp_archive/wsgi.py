"""WSGI entry point, for gunicorn: gunicorn rp_archive.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

from rp_archive.warmup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rp_archive.settings")

application = get_wsgi_application()
warm_up()  # before gunicorn forks its workers (rp_archive/warmup.py)
