"""Temporary lockout of an identifier after repeated failures (docs/securite.md, Open ENT NG's
numbers, the settings' defaults): LOCKOUT_MAX_FAILURES (5) failures within
LOCKOUT_WINDOW_SECONDS (15 minutes) block the identifier for LOCKOUT_SECONDS (15 minutes), the
right password included. Counters live in the shared cache (Redis when REDIS_URL is set), so
the limit holds across worker processes and hosts. Works the same for identifiers that do not
exist, so the block reveals nothing."""

import contextlib
import hashlib
import time
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from accounts import throttle
from accounts.throttle import count_up
from core import cache as counters


def _keys(identifier):
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    return f"lockout:failures:{digest}", f"lockout:locked:{digest}"


def is_locked(identifier) -> bool:
    return bool(identifier) and cache.get(_keys(identifier)[1]) is not None


def _count(failures_key):
    # The window starts at the first failure.
    return count_up(failures_key, settings.LOCKOUT_WINDOW_SECONDS)


def _lock(locked_key) -> bool:
    """Lock (the value says until when); True if this call did it."""
    until = time.time() + settings.LOCKOUT_SECONDS
    return cache.add(locked_key, until, timeout=settings.LOCKOUT_SECONDS)


def begin_attempt(identifier) -> bool:
    """Count a sign-in attempt *before* its password is looked at, in one atomic increment;
    False when it is one too many. Twenty guesses sent at once get five evaluations, not ten:
    counting after the check let every guess in flight through."""
    failures_key, locked_key = _keys(identifier)
    if _count(failures_key) > settings.LOCKOUT_MAX_FAILURES:
        _lock(locked_key)
        return False
    return True


class Gate(Enum):
    """What ``begin_sign_in`` decided, before the password is looked at."""

    OPEN = "open"
    SLOWED = "slowed"  # the address's limits (accounts/throttle.py)
    LOCKED = "locked"  # the identifier's lockout


def begin_sign_in(identifier, ip=None):
    """A sign-in's checks before its password is looked at, in one round trip to the cache
    (core/cache.py, ``counters``): (Gate, attempts from the address).

    In this order, as they were made one by one: with ``ip`` (a browser not yet trusted for
    this identifier), the address's attempt is counted and its attempts and failures of the
    window hold it (SLOWED); then a lock in force holds the identifier (LOCKED); then the
    attempt is counted towards the lockout (``begin_attempt``), one too many locks it. An
    attempt held by the address or by a lock is not counted towards the lockout: a pupil
    asked to wait is never locked out for having tried again (the check and the count are one
    step in Redis)."""
    failures_key, locked_key = _keys(identifier)
    operations, guards = [], [(locked_key, None)]
    if ip is not None:
        window = settings.THROTTLE_WINDOW_SECONDS
        attempt_key = throttle.bucket("attempt", ip, window)
        failure_key = throttle.bucket("failure", ip, window)
        operations = [counters.count(attempt_key, window * 2), counters.get(failure_key)]
        guards = [
            (attempt_key, settings.SIGN_INS_PER_ADDRESS_PER_WINDOW + 1),
            (failure_key, settings.FAILURES_PER_ADDRESS_PER_WINDOW),
            (locked_key, None),
        ]
    operations.append(counters.count_unless(failures_key, settings.LOCKOUT_WINDOW_SECONDS, guards))
    results = counters.counters(cache, operations)
    counted = results[-1]
    attempts = results[0] if ip is not None else 0
    if ip is not None and (
        attempts > settings.SIGN_INS_PER_ADDRESS_PER_WINDOW
        or (results[1] or 0) >= settings.FAILURES_PER_ADDRESS_PER_WINDOW
        or counted in (-1, -2)  # the address's limit, reached meanwhile by another attempt
    ):
        return Gate.SLOWED, attempts
    if counted < 0:
        return Gate.LOCKED, attempts
    if counted > settings.LOCKOUT_MAX_FAILURES:
        _lock(locked_key)
        return Gate.LOCKED, attempts
    return Gate.OPEN, attempts


def after_failed_password(identifier, ip):
    """After a wrong password: the address's failure counted and the identifier's failures read,
    in one round trip to the cache; the identifier's failures (for ``register_failure``)."""
    window = settings.THROTTLE_WINDOW_SECONDS
    _counted, failures = counters.counters(
        cache,
        [
            counters.count(throttle.bucket("failure", ip, window), window * 2),
            counters.get(_keys(identifier)[0]),
        ],
    )
    return failures or 0


def register_failure(identifier, *, counted=False, failures=None) -> bool:
    """One failure (``counted``: already counted by ``begin_attempt``; ``failures``: and the
    count already read); True when it is the one that locks the identifier (once, however many
    fail together)."""
    failures_key, locked_key = _keys(identifier)
    if failures is None:
        failures = (cache.get(failures_key) or 0) if counted else _count(failures_key)
    if failures >= settings.LOCKOUT_MAX_FAILURES:
        locked_now = _lock(locked_key)
        cache.delete(failures_key)
        return locked_now
    return False


def not_evaluated(identifier) -> None:
    """The attempt counted by ``begin_sign_in`` was never evaluated (the database did not answer,
    the person got a 503): taken back, so that a pupil who tries again during a restart is not
    locked out for the server's failure."""
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to take back
        if cache.decr(_keys(identifier)[0]) < 0:
            cache.delete(_keys(identifier)[0])


def unlock(identifier) -> None:
    cache.delete_many(list(_keys(identifier)))


def reset_failures(identifier) -> None:
    """After a successful sign-in the count starts again (a lock in force stays)."""
    cache.delete(_keys(identifier)[0])


def locked_identifiers(identifiers) -> set:
    """Which of these identifiers are locked, in one cache round trip."""
    return set(locked_until(identifiers))


def locked_until(identifiers) -> dict:
    """The locked ones among these identifiers, with the time (epoch seconds) their lock ends,
    in one cache round trip."""
    keys = {_keys(identifier)[1]: identifier for identifier in identifiers}
    now = time.time()
    return {
        keys[key]: value if isinstance(value, float) else now + settings.LOCKOUT_SECONDS
        for key, value in cache.get_many(list(keys)).items()
    }


def minutes() -> int:
    """How long a lockout lasts, in whole minutes (rounded up): LOCKOUT_SECONDS."""
    return max(1, -(-settings.LOCKOUT_SECONDS // 60))


def locked_label() -> str:
    """« Compte bloqué (15 min) », from the settings."""
    return ngettext(
        "Compte bloqué (%(minutes)d min)", "Compte bloqué (%(minutes)d min)", minutes()
    ) % {"minutes": minutes()}
