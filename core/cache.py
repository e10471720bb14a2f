"""Saves Redis round trips of a sign-in: counted by tests/test_redis_counters.py and
bench/profile.py.

Django's Redis cache with two more operations:

- ``count_up``: one more under a key, in one atomic round trip (a small Lua script, ``INCR`` and
  the expiry set by the first), where Django's ``add`` then ``incr`` take three (``incr`` first
  asks whether the key exists);
- ``counters``: several counts and reads sent together, in one pipelined round trip, in order.
  A count may be skipped while other keys say so (``count_unless``): the lockout must not count
  an attempt while a lock or the address's limit holds it, and the check and the count happen
  in Redis, in the same script (accounts/lockout.py, ``begin_sign_in``).

``counters(cache, operations)`` below takes any of Django's caches: with another one (local
memory, in development and tests) the same operations run one after the other, with the same
results.

Reusing one redis-py client instead of Django's one per call (≈ 88 µs each, measured with
timeit) was folded back: A/B with bench/profile.py, sign-in POST 1.10 [0.85–1.31] against a
base-vs-base control of 0.64–1.31, under what the bench can see.
"""

from django.core.cache.backends.redis import RedisCache

# INCR, and the expiry set by the first: atomic in Redis, one round trip.
_COUNT_UP = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""

# The same, unless a guard holds: KEYS[2..] are the guards, ARGV[2..] their thresholds (a
# number: the guard holds from that value on; empty: it holds while the key exists). Returns
# -i for the first guard i that holds (nothing counted), else the count.
_COUNT_UNLESS = """
for i = 2, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value then
    if ARGV[i] == '' then return 1 - i end
    local n = tonumber(value)
    if n and n >= tonumber(ARGV[i]) then return 1 - i end
  end
end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


def count(key, timeout):
    """One more under ``key``; the count (and its ``timeout``) starts at the first."""
    return ("count", key, timeout)


def get(key):
    """The value under ``key`` (None when there is none)."""
    return ("get", key)


def count_unless(key, timeout, guards):
    """As ``count``, unless one of ``guards`` holds: ``(key, at_least)`` holds when that key's
    number is ``at_least`` or more, ``(key, None)`` while that key exists. The result is the
    count, or -i for the first guard i (from 1) that held, and nothing counted."""
    return ("count_unless", key, timeout, list(guards))


class CountingRedisCache(RedisCache):
    def count_up(self, key, timeout) -> int:
        """One more under ``key``; the count (and its ``timeout``) starts at the first."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        return int(client.eval(_COUNT_UP, 1, key, int(timeout)))

    def counters(self, operations) -> list:
        """``operations`` (``count``, ``get``, ``count_unless`` above) in one pipelined round
        trip to the primary server, in order; their results."""
        client = self._cache.get_client(None, write=True)
        pipe = client.pipeline(transaction=False)
        for operation in operations:
            kind, key = operation[0], self.make_and_validate_key(operation[1])
            if kind == "count":
                pipe.eval(_COUNT_UP, 1, key, int(operation[2]))
            elif kind == "get":
                pipe.get(key)
            else:
                guards = operation[3]
                keys = [key, *(self.make_and_validate_key(k) for k, _ in guards)]
                limits = ["" if limit is None else int(limit) for _, limit in guards]
                pipe.eval(_COUNT_UNLESS, len(keys), *keys, int(operation[2]), *limits)
        results = []
        for operation, value in zip(operations, pipe.execute(), strict=True):
            if operation[0] == "get":
                value = None if value is None else self._cache._serializer.loads(value)
            else:
                value = int(value)
            results.append(value)
        return results


def counters(cache, operations) -> list:
    """``operations`` on ``cache``: one round trip with ``CountingRedisCache``, one operation
    after the other with any other of Django's caches (the same results)."""
    if hasattr(cache, "counters"):
        return cache.counters(operations)
    results = []
    for operation in operations:
        kind, key = operation[0], operation[1]
        if kind == "get":
            results.append(cache.get(key))
            continue
        if kind == "count_unless":
            held = _guard_holding(cache, operation[3])
            if held:
                results.append(-held)
                continue
        results.append(count_up(cache, key, operation[2]))
    return results


def _guard_holding(cache, guards):
    for number, (key, limit) in enumerate(guards, start=1):
        value = cache.get(key)
        if value is None:
            continue
        if limit is None or (isinstance(value, int) and value >= limit):
            return number
    return 0


def count_up(cache, key, timeout) -> int:
    """One more under ``key`` in ``cache``, atomically; the count and its timeout start at the
    first. One round trip with ``CountingRedisCache``, ``add`` then ``incr`` with another cache."""
    if hasattr(cache, "count_up"):
        return cache.count_up(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1
