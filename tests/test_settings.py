"""The settings module reads the environment and refuses unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.com"}


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


def test_production_starts_with_a_real_secret_key():
    result = run_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY is the development key"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be"),
        ({"DATABASE_URL": "not-a-url"}, "DATABASE_URL is not a database URL"),
        ({"CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE must be a whole number"),
        ({"RP_MAX_POST_LENGTH": "0"}, "RP_MAX_POST_LENGTH must be at least 1"),
    ],
    ids=["dev-key", "no-hosts", "boolean", "log-level", "database-url", "number", "post-limit"],
)
def test_unsafe_or_unreadable_settings_stop_the_site_with_a_clear_message(env, message):
    result = run_check(**env)
    assert result.returncode != 0
    assert message in result.stderr
