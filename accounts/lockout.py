"""Temporary lockout of an identifier after repeated failures (docs/securite.md, Open ENT NG's
numbers, the settings' defaults): LOCKOUT_MAX_FAILURES (5) failures within
LOCKOUT_WINDOW_SECONDS (15 minutes) block the identifier for LOCKOUT_SECONDS (15 minutes), the
right password included. Counters live in the shared cache (Redis when REDIS_URL is set), so
the limit holds across worker processes and hosts. Works the same for identifiers that do not
exist, so the block reveals nothing."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from accounts.throttle import count_up


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


def register_failure(identifier, *, counted=False) -> bool:
    """One failure (``counted``: already counted by ``begin_attempt``); True when it is the
    one that locks the identifier (once, however many fail together)."""
    failures_key, locked_key = _keys(identifier)
    failures = (cache.get(failures_key) or 0) if counted else _count(failures_key)
    if failures >= settings.LOCKOUT_MAX_FAILURES:
        locked_now = _lock(locked_key)
        cache.delete(failures_key)
        return locked_now
    return False


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
    """« Bloqué (15 min) », from the settings."""
    return ngettext("Bloqué (%(minutes)d min)", "Bloqué (%(minutes)d min)", minutes()) % {
        "minutes": minutes()
    }
