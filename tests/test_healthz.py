"""/healthz: 200 when the database and the cache answer, 503 naming the one that does not."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_healthy_site_answers_200_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_cache_that_fails_makes_the_site_unhealthy(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(cache, "get", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failing"}


def test_a_cache_that_loses_what_it_was_given_is_unhealthy(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    assert client.get("/healthz").status_code == 503


# A real server process would open its own connection: so does this one, to a database file
# in a folder that does not exist, and Redis on a port where nothing listens.
DEAD = (
    "import django; django.setup(); "
    "from django.conf import settings; from django.test import Client; "
    "print(settings.CACHES['default']['BACKEND']); "
    "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code, r.content.decode())"
)


def run_probe(**env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", DEAD], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip


def test_a_database_that_does_not_answer_makes_the_site_unhealthy(tmp_path):
    result = run_probe(DATABASE_URL=f"sqlite:///{tmp_path}/missing/folder/db.sqlite3")
    *logs, answer = result.stdout.splitlines()
    assert answer == '503 {"database": "failing", "cache": "ok"}', result.stdout + result.stderr
    assert any("ERROR threads.views.health" in line and "unable to open" in line for line in logs)


def test_a_dead_redis_makes_the_site_unhealthy():
    result = run_probe(CACHE_URL="redis://127.0.0.1:1/0")
    backend, *_, answer = result.stdout.splitlines() or [""]
    if "Redis" not in backend:
        pytest.skip(f"CACHE_URL does not choose Redis in these settings yet ({backend})")
    assert answer == '503 {"database": "ok", "cache": "failing"}', result.stdout + result.stderr
