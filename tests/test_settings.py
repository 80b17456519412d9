"""The settings module reads the environment and refuses unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="rp_archive.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key():
    result = run_check(DEBUG="false", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stderr


def test_nonsense_booleans_fail_loudly():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_an_unknown_log_level_fails_loudly():
    result = run_check(LOG_LEVEL="chatty")
    assert result.returncode != 0
    assert "LOG_LEVEL must be" in result.stderr


def test_production_needs_allowed_hosts():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_a_bad_database_url_says_what_it_expects():
    result = run_check(DATABASE_URL="not-a-url")
    assert result.returncode != 0
    assert "DATABASE_URL is not a database URL" in result.stderr


def test_a_nonsense_number_fails_loudly():
    result = run_check(CONN_MAX_AGE="forever")
    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number" in result.stderr


def test_a_post_length_limit_below_one_fails_loudly():
    result = run_check(RP_MAX_POST_LENGTH="0")
    assert result.returncode != 0
    assert "RP_MAX_POST_LENGTH must be at least 1" in result.stderr
