"""Django's own Redis cache, keeping its client.

Django's RedisCache makes a new redis-py client object for every call (over a connection pool
it does keep). Making one costs more than a small GET over loopback, and a page served from
the cache pays it on every request. This backend makes one client per pool and keeps it, as
redis-py intends: a client is safe to share, and its connections come from the pool either
way. Settings name it for redis:// and rediss:// URLs (rp_archive/settings.py).
"""

from django.core.cache.backends import redis


class _KeptClients(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClients
