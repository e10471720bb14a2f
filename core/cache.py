"""Django's Redis cache, with one redis-py client per server instead of one per operation, and
counters in one round trip.

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


# INCR, and the expiry set by the first: atomic in Redis, one round trip.
_COUNT_UP = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    def count_up(self, key, timeout) -> int:
        """One more under ``key``; the count (and its ``timeout``) starts at the first. Django's
        ``add`` then ``incr`` take three round trips (``incr`` asks whether the key exists);
        the address limits and the lockout count twice per sign-in (accounts/throttle.py)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        return int(client.eval(_COUNT_UP, 1, key, int(timeout)))
