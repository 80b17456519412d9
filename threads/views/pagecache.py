"""Whole pages as anonymous readers see them, kept in the shared cache (Redis in production).

Invalidation is exact: a page's key holds the generation it was rendered under (the story's,
or the site's for pages that list stories, threads/models/generations.py), read with one
small query per request, written as SQL: on a hit it is most of the page's cost, and the ORM
took longer to build it than the database to answer it. A change readers can see bumps the
generation in its own transaction, so the next request misses and renders afresh; the old
copies are simply never asked for again (and leave the cache after PAGE_SECONDS, or sooner
under memory pressure).

Only a request with nothing private about it is served from the cache or stored into it: no
session or messages cookie, no Authorization header, nobody signed in. A response is stored
only when nothing about it is private either: a 200, not streamed, setting no cookie, with no
CSRF token or message in it, from a view that did not read the session (the adult notice
and the reader-insert name live there), and not marked private or no-store.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from threads.models import SiteGeneration, Story

# Long: correctness comes from the generations, this only bounds what stale copies cost.
PAGE_SECONDS = 24 * 60 * 60
HIT_HEADER = "X-Page-Cache"
# Pages up to this size are also kept in the process's own memory (the "pages_local" cache,
# settings.CACHES), which answers a hit in tens of microseconds where a round trip to Redis
# takes hundreds. The key names the generation, so that copy needs no invalidation either.
LOCAL_MAX_BYTES = 256 * 1024
# Headers the view set that belong to the page itself (middleware adds the rest each time).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Link")


def cache_for_readers(scope):
    """Serve and store this view's anonymous GET responses in the page cache. ``scope`` is
    "site" for pages that list stories, or "story" for one story's pages (found by the
    view's ``slug`` argument)."""
    if scope not in ("site", "story"):
        raise ValueError(f"Unknown page cache scope {scope!r}.")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _anonymous_reader(request):
                return view(request, *args, **kwargs)
            key = _key(request, scope, kwargs)
            if key is None:
                return view(request, *args, **kwargs)
            cached = _get(key)
            if cached is not None:
                return _cached_response(cached)
            return _render_and_store(request, view, args, kwargs, key)

        return wrapper

    return decorator


def _anonymous_reader(request):
    """A GET or HEAD without a session or messages cookie or credentials. Without a session
    nobody is signed in, so a page served from the cache does not look the user up (that
    was a tenth of its time); _render_and_store makes sure before it stores a page."""
    if request.method not in ("GET", "HEAD"):
        return False
    private_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    return not (private_cookies & request.COOKIES.keys() or "HTTP_AUTHORIZATION" in request.META)


def _key(request, scope, kwargs):
    if scope == "story":
        generation = _read_one(_STORY_GENERATION, [kwargs.get("slug")])
        if generation is None:
            return None  # no such story: a 404, never stored
    else:
        generation = _read_one(_SITE_GENERATION, []) or 0  # no row before the first change
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"pages:{scope}:{generation}:{url}"


def _sql(model, column, where):
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(column).column)
    return f"SELECT {column} FROM {table} WHERE {where}"  # noqa: S608 - names from our models


_STORY_GENERATION = _sql(Story, "generation", "slug = %s")
_SITE_GENERATION = _sql(SiteGeneration, "number", "id = 1")


def _read_one(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _local():
    return caches["pages_local"]


def _get(key):
    local = _local()
    cached = local.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is not None and len(cached[1]) <= LOCAL_MAX_BYTES:
            local.set(key, cached)
    return cached


def _store(key, cached):
    cache.set(key, cached, PAGE_SECONDS)
    if len(cached[1]) <= LOCAL_MAX_BYTES:
        _local().set(key, cached)


def clear():
    """Forget every cached page, in the shared cache and this process's copy."""
    cache.clear()
    _local().clear()


def _render_and_store(request, view, args, kwargs, key):
    if request.user.is_authenticated:  # only a session signs in; should that ever change,
        return view(request, *args, **kwargs)  # a signed-in page is still never stored
    # Reading request.user read the (empty) session; from here on, a read means the view
    # looked at something private to this visitor.
    session = request.session
    accessed_before, session.accessed = session.accessed, False
    response = view(request, *args, **kwargs)
    private = session.accessed
    session.accessed = accessed_before or private
    if request.method == "GET" and not private and _storable(request, response):
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        _store(key, (response.status_code, response.content, headers))
    patch_vary_headers(response, ("Cookie",))
    return response


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token is in the page: it belongs to this visitor
    if getattr(getattr(request, "_messages", None), "_queued_messages", None):
        return False  # a message for this visitor, shown once
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _cached_response(cached):
    status, content, headers = cached
    response = HttpResponse(content, status=status, headers=headers)
    response[HIT_HEADER] = "hit"
    patch_vary_headers(response, ("Cookie",))
    return response
