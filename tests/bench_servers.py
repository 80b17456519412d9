"""The bench's processes: a Redis it may start, gunicorn on a free local port, and
bounded wrk runs."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

# The page cache never serves a request carrying credentials: this header measures a page
# as it renders, through the same URL and middleware (nothing reads it).
UNCACHED = "Bench no-cache"


def start_redis_if_needed(folder):
    if os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL"):
        return None
    if not shutil.which("redis-server"):
        print("No REDIS_URL and no redis-server: the cache is this process's memory.")
        return None
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    return process


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=20, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"The server for port {port} exited with {process.returncode}.")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Nothing answered on 127.0.0.1:{port} within {seconds} s.")


class Gunicorn:
    """gunicorn with the deployment's config, on a free port of 127.0.0.1, on the bench's
    database and cache; stopped on exit."""

    def __init__(self, workers):
        self.workers = workers

    def __enter__(self):
        from django.db import connection

        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_ACCESS_LOG": "off",
        }
        config = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "gunicorn", "-c", str(config)]
            + ["tests.bench_wsgi:application"],
            env=env,
            cwd=config.parent.parent,
        )
        wait_for_port(port, process=self.process)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def database_url(settings):
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user, password = settings["USER"], settings["PASSWORD"]
    return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def warm(url):
    import urllib.request

    for _ in range(4):  # every worker renders once (templates, connections)
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http only
            assert response.status == 200, (url, response.status)


def wrk(url, seconds, uncached):
    """Requests a second, p50 and p99 in ms, with two threads and four connections."""
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", url]
    if uncached:
        command[1:1] = ["-H", f"Authorization: {UNCACHED}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk got errors from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, latency(out, "50%"), latency(out, "99%")


def latency(out, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
