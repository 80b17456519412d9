"""Settings for `make bench` only: the test settings plus the bench's URLconf, whose one extra
view (the floor) exists nowhere else. Production never names this module."""

import os

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench_urls"
# Each bench run keeps its pages apart from any earlier run's in a shared Redis: a fresh
# database restarts the generations, and an old page under the same key would be served.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench")  # noqa: F405
