"""CACHE_URL (or REDIS_URL) picks the shared cache: Redis through Django's own RedisCache
(threads/lib/cache.py, which keeps its client), local memory by default, or none; anything
else stops the site, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
)


def cache_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="rp_archive.settings")
    # A fresh interpreter per case: settings are read once, at import.
    return subprocess.run(  # noqa: S603 - our own fixed command
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "backend", "location"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", ""),
        ({"CACHE_URL": "locmem://"}, "django.core.cache.backends.locmem.LocMemCache", ""),
        ({"CACHE_URL": "dummy://"}, "django.core.cache.backends.dummy.DummyCache", ""),
        (
            {"CACHE_URL": "redis://cache:6379/2"},
            "threads.lib.cache.RedisCache",
            "redis://cache:6379/2",
        ),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0"},
            "threads.lib.cache.RedisCache",
            "redis://127.0.0.1:6379/0",
        ),
        (
            {"CACHE_URL": "rediss://user:secret@cache:6380/1", "REDIS_URL": "redis://other/0"},
            "threads.lib.cache.RedisCache",
            "rediss://user:secret@cache:6380/1",
        ),
    ],
    ids=["default", "locmem", "dummy", "redis", "redis-url", "cache-url-first"],
)
def test_the_cache_url_chooses_the_backend(env, backend, location):
    result = cache_settings(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, *location.split()]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CACHE_URL": "memcached://cache:11211"}, "CACHE_URL must be redis://"),
        ({"CACHE_URL": "redis://"}, "CACHE_URL must be redis://"),
        ({"CACHE_URL": "cache:6379"}, "CACHE_URL must be redis://"),
        ({"REDIS_URL": "http://cache/"}, "REDIS_URL must be redis://"),
    ],
    ids=["memcached", "no-host", "no-scheme", "redis-url"],
)
def test_a_cache_url_it_cannot_read_stops_the_site_naming_the_variable(env, message):
    result = cache_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
