"""The shared cache's counters (core/cache.py): the address limits and the lockout count
in one atomic round trip to Redis, and start their window at the first count."""

import uuid

import pytest

from core.cache import CountingRedisCache
from tests.helpers import clear_namespace, redis_url

pytestmark = pytest.mark.skipif(redis_url() is None, reason="needs a Redis server (REDIS_URL)")


@pytest.fixture
def redis_calls(monkeypatch):
    """The name of every command redis-py sends, in order."""
    import redis

    calls = []
    original = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis,
        "execute_command",
        lambda self, *args, **kw: calls.append(args[0]) or original(self, *args, **kw),
    )
    return calls


@pytest.fixture
def redis_cache():
    backend = CountingRedisCache(redis_url(), {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    clear_namespace(backend)  # its own keys: clear() would flush every worker's


def test_a_counter_counts_in_one_round_trip_and_keeps_its_first_expiry(redis_cache, redis_calls):
    assert redis_cache.count_up("essais", 60) == 1
    assert redis_calls == ["EVAL"]
    client = redis_cache._cache.get_client()
    key = redis_cache.make_and_validate_key("essais")
    client.expire(key, 30)  # as if 30 seconds had passed
    assert redis_cache.count_up("essais", 60) == 2
    assert 0 < client.ttl(key) <= 30  # the window is not pushed back by each count
    assert redis_cache.get("essais") == 2  # readable like any counter of Django's cache
    assert redis_cache.incr("essais") == 3


def test_the_address_limits_and_the_lockout_count_with_it(redis_cache, redis_calls, monkeypatch):
    """With Redis as the cache, counting an attempt is one round trip (it was three: add,
    exists, incrby)."""
    from accounts import lockout, throttle

    monkeypatch.setattr(throttle, "cache", redis_cache)
    monkeypatch.setattr(lockout, "cache", redis_cache)
    assert throttle.count("attempt", "192.0.2.1") == 1
    assert throttle.count("attempt", "192.0.2.1") == 2
    assert lockout.begin_attempt("t.counen1")
    assert redis_calls == ["EVAL", "EVAL", "EVAL"]
    assert redis_cache.get(lockout._keys("t.counen1")[0]) == 1
