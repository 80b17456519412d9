"""For tests that read a list view's context and count its queries: the anonymous page cache
(threads/views/pagecache.py, tested in tests/test_page_cache.py) would answer a repeat
anonymous read without running the view. Import ``without_page_cache`` into the module."""

import pytest
from django.core.cache.backends.dummy import DummyCache

from threads.views import pagecache


@pytest.fixture(autouse=True)
def without_page_cache(monkeypatch):
    uncached = DummyCache("uncached", {})
    monkeypatch.setattr(pagecache, "cache", uncached)
    monkeypatch.setattr(pagecache, "_local", lambda: uncached)
