"""A sign-in at the least cost of its own behaviours: the address's counters and the
identifier's lockout in one round trip to the cache before the password is checked and one
after; last_login, the audit row and the « Mes sessions » row in one transaction; the device
cookie signed again only when it would change. Counts and behaviours, never time."""

import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts import lockout, throttle
from accounts.hashers import OwaspArgon2PasswordHasher
from accounts.models import User
from audit.models import Action, AuditEvent
from core import cache as counters
from core.cache import CountingRedisCache
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, clear_namespace, page_of, redis_url, sign_in

needs_redis = pytest.mark.skipif(redis_url() is None, reason="needs a Redis server (REDIS_URL)")


@pytest.fixture
def redis_cache(monkeypatch):
    """The counters on a Redis of their own namespace (sessions stay where they are)."""
    backend = CountingRedisCache(redis_url(), {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    monkeypatch.setattr(throttle, "cache", backend)
    monkeypatch.setattr(lockout, "cache", backend)
    yield backend
    clear_namespace(backend)


@pytest.fixture
def round_trips(monkeypatch, redis_cache):
    """Each round trip of the counters to Redis (a command, or a pipeline with its commands),
    and « password » when the password is checked. The sessions' own commands (when they are
    in Redis too) are left out."""
    import redis

    trips = []
    command, execute = redis.Redis.execute_command, redis.client.Pipeline.execute
    prefix = redis_cache.key_prefix

    def one(self, *args, **kwargs):
        if any(prefix in str(arg) for arg in args[1:]):
            trips.append(args[0])
        return command(self, *args, **kwargs)

    def pipelined(self, *args, **kwargs):
        trips.append(tuple(c[0][0] for c in self.command_stack))
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", one)
    monkeypatch.setattr(redis.client.Pipeline, "execute", pipelined)
    verify = OwaspArgon2PasswordHasher.verify
    monkeypatch.setattr(
        OwaspArgon2PasswordHasher,
        "verify",
        lambda self, password, encoded: trips.append("password") or verify(self, password, encoded),
    )
    return trips


@needs_redis
def test_a_sign_in_asks_redis_once_before_the_password_and_once_after(
    pupil, redis_cache, round_trips
):
    response = sign_in(Client(), pupil.username, GOOD_PASSWORD)
    assert response["Location"] == reverse("portal:services")
    assert round_trips == [("EVAL", "GET", "EVAL"), "password", "DEL"]


@needs_redis
def test_a_failed_sign_in_asks_redis_once_before_the_password_and_once_after(
    pupil, redis_cache, round_trips
):
    sign_in(Client(), pupil.username, "Mauvais#1")
    assert round_trips == [("EVAL", "GET", "EVAL"), "password", ("EVAL", "GET")]


@needs_redis
def test_a_trusted_browser_asks_only_for_the_lockout(pupil, redis_cache, round_trips):
    browser = Client()
    sign_in(browser, pupil.username, GOOD_PASSWORD)
    browser.post(reverse("account_logout"))
    round_trips.clear()
    sign_in(browser, pupil.username, GOOD_PASSWORD)
    assert round_trips == [("EVAL",), "password", "DEL"]


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request, monkeypatch):
    """The counters on the cache of the tests (local memory) and on Redis: the same answers."""
    if request.param == "redis":
        if redis_url() is None:
            pytest.skip("needs a Redis server (REDIS_URL)")
        return request.getfixturevalue("redis_cache")
    return lockout.cache


def test_the_counters_answer_the_same_in_one_round_trip_or_one_by_one(any_cache):
    ops = [
        counters.count("a", 60),
        counters.count("a", 60),
        counters.get("a"),
        counters.get("nothing"),
        counters.count_unless("b", 60, [("a", 3)]),  # a = 2: counted
        counters.count("a", 60),
        counters.count_unless("b", 60, [("nothing", None), ("a", 3)]),  # a = 3: held by #2
    ]
    assert counters.counters(any_cache, ops) == [1, 2, 2, None, 1, 3, -2]
    any_cache.set("lock", 1.5)
    assert counters.counters(any_cache, [counters.count_unless("b", 60, [("lock", None)])]) == [-1]
    assert any_cache.get("b") == 1


def test_a_pupil_asked_to_wait_is_not_locked_out_for_trying_again(any_cache, db, settings):
    """Held by the address's limit, an attempt does not count towards the lockout."""
    settings.FAILURES_PER_ADDRESS_PER_WINDOW = 3
    for n in range(3):
        sign_in(Client(), f"x.inconnu{n}", "Essai#1")
    user = UserFactory(activated=True)
    user.set_password(GOOD_PASSWORD)
    user.save()
    for _ in range(settings.LOCKOUT_MAX_FAILURES + 2):
        assert "patientez" in page_of(sign_in(Client(), user.username, GOOD_PASSWORD))
    assert not lockout.is_locked(user.username)
    assert any_cache.get(lockout._keys(user.username)[0]) is None


def test_the_lock_holds_with_the_counters_in_one_round_trip(any_cache, pupil):
    for _ in range(settings.LOCKOUT_MAX_FAILURES):
        sign_in(Client(), pupil.username, "Mauvais#1")
    assert lockout.is_locked(pupil.username)
    page = page_of(sign_in(Client(), pupil.username, GOOD_PASSWORD))
    assert "bloquée pendant" in page
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT, subject=pupil).count() == 1


@pytest.mark.django_db(transaction=True)
def test_last_login_the_audit_row_and_my_sessions_are_written_together(monkeypatch):
    """One transaction: if the « Mes sessions » row cannot be written, neither last_login nor
    the audit row is."""
    from allauth.usersessions.models import UserSession

    user = UserFactory(activated=True)
    user.set_password(GOOD_PASSWORD)
    user.save()

    def broken(request, user):
        raise RuntimeError("« Mes sessions » indisponible")

    monkeypatch.setattr("accounts.adapter.record_session", broken)
    with pytest.raises(RuntimeError):
        sign_in(Client(), user.username, GOOD_PASSWORD)
    assert User.objects.get(pk=user.pk).last_login is None
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN_SUCCEEDED).exists()
    assert not UserSession.objects.exists()
    monkeypatch.undo()
    sign_in(Client(), user.username, GOOD_PASSWORD)
    assert User.objects.get(pk=user.pk).last_login is not None
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_SUCCEEDED, subject=user).count() == 1
    assert UserSession.objects.filter(user=user).count() == 1


def test_the_device_cookie_is_not_signed_again_when_nothing_changes(pupil, monkeypatch):
    browser = Client()
    first = sign_in(browser, pupil.username, GOOD_PASSWORD)
    assert throttle.DEVICE_COOKIE in first.cookies
    browser.post(reverse("account_logout"))
    again = sign_in(browser, pupil.username, GOOD_PASSWORD)
    assert again["Location"] == reverse("portal:services")
    assert throttle.DEVICE_COOKIE not in again.cookies
    # Past half its age, it is signed again: a browser in use keeps its trust.
    browser.post(reverse("account_logout"))
    later = throttle.time.time() + settings.THROTTLE_DEVICE_COOKIE_AGE * 0.6
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: later))
    assert throttle.DEVICE_COOKIE in sign_in(browser, pupil.username, GOOD_PASSWORD).cookies


def test_a_shared_browser_adds_each_new_identifier_to_its_cookie(pupil, db):
    other = UserFactory(activated=True)
    other.set_password(GOOD_PASSWORD)
    other.save()
    browser = Client()
    sign_in(browser, pupil.username, GOOD_PASSWORD)
    browser.post(reverse("account_logout"))
    response = sign_in(browser, other.username, GOOD_PASSWORD)
    assert throttle.DEVICE_COOKIE in response.cookies
    request = SimpleNamespace(
        COOKIES={throttle.DEVICE_COOKIE: browser.cookies[throttle.DEVICE_COOKIE].value}
    )
    assert throttle.is_trusted_device(request, pupil.username)
    assert throttle.is_trusted_device(SimpleNamespace(COOKIES=request.COOKIES), other.username)
