"""Temporary lockout of an identifier after repeated failures (DESIGN.md §5, Open ENT NG's
numbers): 5 failures within 15 minutes block the identifier for 15 minutes, the right password
included. Counters live in the shared cache (Redis when REDIS_URL is set), so the limit holds
across worker processes and hosts. Works the same for identifiers that do not exist, so the
block reveals nothing."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


def _keys(identifier):
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    return f"lockout:failures:{digest}", f"lockout:locked:{digest}"


def is_locked(identifier) -> bool:
    return bool(identifier) and cache.get(_keys(identifier)[1]) is not None


def register_failure(identifier) -> bool:
    """Count one failure; True when this failure locks the identifier."""
    failures_key, locked_key = _keys(identifier)
    window = settings.LOCKOUT_WINDOW_SECONDS
    cache.add(failures_key, 0, timeout=window)  # the window starts at the first failure
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.add(failures_key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOCKOUT_MAX_FAILURES:
        cache.set(locked_key, 1, timeout=settings.LOCKOUT_SECONDS)
        cache.delete(failures_key)
        return True
    return False


def unlock(identifier) -> None:
    cache.delete_many(list(_keys(identifier)))


def reset_failures(identifier) -> None:
    """After a successful sign-in the count starts again (a lock in force stays)."""
    cache.delete(_keys(identifier)[0])


def locked_identifiers(identifiers) -> set:
    """Which of these identifiers are locked, in one cache round trip."""
    keys = {_keys(identifier)[1]: identifier for identifier in identifiers}
    return {keys[key] for key in cache.get_many(list(keys))}


def minutes() -> int:
    """How long a lockout lasts, in whole minutes (rounded up): LOCKOUT_SECONDS."""
    return max(1, -(-settings.LOCKOUT_SECONDS // 60))


def locked_label() -> str:
    """« Bloqué (15 min) », from the settings."""
    return ngettext("Bloqué (%(minutes)d min)", "Bloqué (%(minutes)d min)", minutes()) % {
        "minutes": minutes()
    }
