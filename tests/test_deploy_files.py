"""The deployment files in deploy/ agree with the app they deploy."""

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx-site.conf").read_text()
# The directives alone, without comments.
DIRECTIVES = re.sub(r"#[^\n]*", "", SITE)


def env_example():
    """The env file's variables, set or shown commented, and the values of those set."""
    names, values = set(), {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        match = re.fullmatch(r"(# )?([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            names.add(match[2])
            if not match[1]:
                values[match[2]] = match[3]
    return names, values


def test_env_example_names_every_variable_the_settings_read():
    source = (ROOT / "rp_archive" / "settings.py").read_text()
    read = set(re.findall(r'env_[a-z]+\(\s*"([A-Z][A-Z0-9_]*)"', source))
    assert read - env_example()[0] == set()


def test_env_example_passes_the_deploy_check():
    values = env_example()[1]
    env = {"PATH": os.environ["PATH"], **{k: v for k, v in values.items() if v}}
    env["SECRET_KEY"] = "a-long-random-value-for-this-test-only-" + "k" * 30
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nginx_refuses_bodies_past_the_apps_upload_cap():
    size = re.search(r"client_max_body_size (\d+)m;", DIRECTIVES)[1]
    assert int(size) * 1024 * 1024 == settings.RP_MAX_UPLOAD_BYTES


def test_nginx_micro_cache_skips_cookies_and_stays_short():
    assert re.search(r"proxy_cache_bypass \$http_cookie\b", DIRECTIVES)
    assert re.search(r"proxy_no_cache \$http_cookie\b", DIRECTIVES)
    seconds = [int(s) for s in re.findall(r"proxy_cache_valid[^;]* (\d+)s;", DIRECTIVES)]
    assert seconds and all(1 <= s <= 5 for s in seconds)
    # nginx stores nothing that sets a cookie unless told to ignore Set-Cookie.
    assert "proxy_ignore_headers" not in DIRECTIVES


def test_nginx_passes_the_scheme_and_the_request_id():
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in DIRECTIVES
    assert "proxy_set_header X-Request-ID $rp_request_id;" in DIRECTIVES


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_soaks_nginx_config_from_the_site_is_valid(tmp_path):
    from tests.soak import nginx_config

    tmp_path.chmod(0o755)
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, [8001, 8002], 8080))
    assert "ssl" not in re.sub(r"#[^\n]*", "", config.read_text())
    result = subprocess.run(  # noqa: S603
        ["nginx", "-t", "-c", str(config)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_binds_to_loopback_with_sync_workers_from_the_environment(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["worker_class"] == "sync"
    assert config["workers"] == 3
    assert config["accesslog"] == "-"


def test_systemd_units_run_commands_that_exist():
    commands = get_commands()
    started = []
    for unit in (DEPLOY / "systemd").glob("*.service"):
        match = re.search(r"^ExecStart=\S+ manage\.py (\w+)", unit.read_text(), re.M)
        if match:
            started.append(match[1])
    assert {"db_worker", "run_turn_deadlines", "send_notifications", "clearsessions"} <= set(
        started
    )
    assert all(name in commands for name in started)
    for name in ("run_turn_deadlines", "send_notifications", "clearsessions"):
        assert (DEPLOY / "systemd" / f"rp-archive-{name}.timer").exists()
