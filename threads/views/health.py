"""/healthz for load balancers and monitors: 200 when the database and the cache answer,
503 naming what did not. It touches no session and no user, and nothing caches it."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    # A value of our own, read back: a cache that takes writes but loses them is not healthy.
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    return cache.get(key) == value


CHECKS = {"database": database_answers, "cache": cache_answers}


def _run(name, check):
    try:
        return check()
    except Exception:  # noqa: BLE001 - any failure means "not healthy", and is logged.
        logger.exception("Health check %s failed", name)
        return False


@never_cache
def healthz(request):
    results = {name: "ok" if _run(name, check) else "failing" for name, check in CHECKS.items()}
    healthy = all(state == "ok" for state in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
