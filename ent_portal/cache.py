"""Django's Redis cache, with one redis-py client per server instead of one per operation.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache call (connection
pool reused, client not). With redis-py 8 that object costs 60–100 µs of CPU to build, and a
sign-in makes about twenty cache calls (sessions, lockout, address limits): measured by the
bench (README, « Performances »). A ``redis.Redis`` is safe to share between threads: it takes
a connection from the pool for each command.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
