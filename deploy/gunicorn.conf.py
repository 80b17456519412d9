"""Gunicorn settings for RP Archive: `gunicorn -c deploy/gunicorn.conf.py rp_archive.wsgi`.

Every value can be changed from the environment (the same env file the app reads), so one
file serves a small box and a large one. nginx in front buffers slow clients, which is what
lets plain sync workers do: a worker is busy only while Django renders.
"""

import multiprocessing
import os

# Only nginx on this machine talks to gunicorn; another app server behind a shared nginx
# sets GUNICORN_BIND to its private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# Two per core plus one is gunicorn's own rule of thumb for sync workers.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request that takes longer is a bug or an attack: kill the worker, it is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 20))
# nginx keeps connections to the upstream short; 2 s covers its reuse without pinning workers.
keepalive = 2
# Recycle workers now and then so a slow leak never becomes an outage; jitter keeps them
# from restarting together.
# A worker retires after this many requests (a guard against slow leaks). A cached page takes
# about a millisecond, so 2,000 retired each worker every few seconds under load, and each
# retirement showed in the p99; rp_archive/warmup.py makes the new worker's start cheap.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Load the app once in the master: workers start fast and share memory pages. Database
# connections are opened per worker on first use, never inherited.
preload_app = True
# Large request bodies are refused by nginx and the app; headers stay bounded here too.
limit_request_line = 8190
limit_request_fields = 100

# Logs to stdout, one line per request, with the request id nginx sets (the app logs the
# same id on its own lines and sends it back as X-Request-ID).
# GUNICORN_ACCESS_LOG=off leaves the access log out (make bench).
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "off" else "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}i)s referer="%(f)s" agent="%(a)s"'
)
# Behind nginx on the same machine: trust its X-Forwarded-* headers (loopback only).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "rp-archive"
