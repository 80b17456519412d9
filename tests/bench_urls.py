"""The site's URLs plus the floor: a bare Django view returning the bytes of the page being
measured, read once from BENCH_FLOOR_FILE. It goes through the same middleware as every page,
so the ratio of a page to it is what the page itself costs. Only tests/bench_settings.py
names this module."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from rp_archive.urls import urlpatterns as site_urlpatterns


@cache
def _floor_bytes():
    return Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()


def floor(request):
    return HttpResponse(_floor_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench-floor/", floor), *site_urlpatterns]
