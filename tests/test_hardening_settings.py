"""The hardening settings: `check --deploy` is clean in production, every new variable is
read by a helper that refuses nonsense, and Sentry is imported only when asked for."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "rp.example.org",
    "SECURE_PROXY_SSL": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}
# Variables of the shell (or of the browser tests' fixtures) that would change the check.
OURS = {"DEBUG", "SECRET_KEY", "SENTRY_DSN", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION}


def run(args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in OURS}
    environment.update(env, DJANGO_SETTINGS_MODULE="rp_archive.settings")
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def deploy_check(**env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variable", "warning"),
    [
        ("SECURE_HSTS_SECONDS", "security.W004"),
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SECURE_HSTS_PRELOAD", "security.W021"),
    ],
)
def test_the_deploy_check_notices_a_missing_protection(variable, warning):
    env = {k: v for k, v in PRODUCTION.items() if k != variable}
    result = deploy_check(**env)
    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS must be 0 (off) or more"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"SECURE_HSTS_PRELOAD": "please"}, "SECURE_HSTS_PRELOAD must be true or false"),
        ({"RP_MAX_UPLOAD_BYTES": "1000"}, "RP_MAX_UPLOAD_BYTES must be at least"),
        ({"RP_IMPORT_MAX_BYTES": "5MB"}, "RP_IMPORT_MAX_BYTES must be a whole number"),
        ({"RP_ADMIN_REQUIRE_2FA": "maybe"}, "RP_ADMIN_REQUIRE_2FA must be true or false"),
        ({"SENTRY_DSN": "not a dsn"}, "SENTRY_DSN is not a Sentry DSN"),
    ],
    ids=["hsts-negative", "hsts-words", "preload", "upload-cap", "import-cap", "2fa", "sentry"],
)
def test_unreadable_hardening_settings_stop_the_site_with_a_clear_message(env, message):
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert message in result.stderr


SENTRY_PROBE = (
    "import sys, django; django.setup(); "
    "print('imported' if 'sentry_sdk' in sys.modules else 'absent'); "
    "import sentry_sdk; print('active' if sentry_sdk.get_client().is_active() else 'inactive')"
)


def test_without_a_sentry_dsn_sentry_is_neither_imported_nor_started():
    result = run(["-c", SENTRY_PROBE])
    assert result.stdout.split() == ["absent", "inactive"], result.stderr


def test_a_sentry_dsn_starts_sentry_with_the_django_integration():
    probe = SENTRY_PROBE + (
        "; from sentry_sdk.integrations.django import DjangoIntegration; "
        "print(sentry_sdk.get_client().get_integration(DjangoIntegration) is not None)"
    )
    result = run(["-c", probe], SENTRY_DSN="https://key@127.0.0.1:9/1")
    assert result.stdout.split() == ["imported", "active", "True"], result.stderr


def test_database_connections_are_kept_and_checked_before_reuse():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_every_hardening_setting_has_a_safe_default():
    assert settings.RP_ADMIN_REQUIRE_2FA is False
    assert settings.SENTRY_DSN == ""
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.RP_MAX_UPLOAD_BYTES
    assert settings.RP_IMPORT_MAX_BYTES == 5 * 1024 * 1024
