"""Per-address limits on sign-ins that stop spraying without locking a class out.

A school is one NAT address: 30 pupils sign in from it at once, and one of them may type
nonsense 300 times. So (OWASP, « device cookies »):

- a browser that already signed in on an identifier carries a signed cookie that says so, and
  is never held by the address limits for that identifier;
- for the others the limit is a short slow-down, never a long refusal: the count lives in
  time buckets of ``THROTTLE_WINDOW_SECONDS`` and is gone at the next one, with a message that
  says what is happening (not « votre identifiant est bloqué »).

Counters are one atomic increment in the shared cache (Redis in production): no lock, no sleep,
no list of hits, whatever the number of workers and hosts. The per-identifier lockout
(accounts/lockout.py) is apart and unchanged by any of this.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

DEVICE_COOKIE = "ent_appareil"
_SALT = "accounts.throttle.device"
_MAX_IDENTIFIERS = 60  # a classroom computer sees several classes


def _bucket(kind, who, window):
    return f"throttle:{kind}:{who}:{int(time.time() // window)}"


def count_up(key, timeout) -> int:
    """One more under ``key``, atomically; the count and its timeout start at the first. One
    round trip with Redis (core/cache.py), ``add`` then ``incr`` with another cache."""
    if hasattr(cache, "count_up"):
        return cache.count_up(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def count(kind, who, window=None) -> int:
    """Count one more in ``who``'s current bucket of ``window`` seconds (an address's, by
    default THROTTLE_WINDOW_SECONDS; families/limits.py counts its own), atomically; the new
    total."""
    window = window or settings.THROTTLE_WINDOW_SECONDS
    return count_up(_bucket(kind, who, window), window * 2)


def current(kind, who, window=None) -> int:
    window = window or settings.THROTTLE_WINDOW_SECONDS
    return cache.get(_bucket(kind, who, window)) or 0


def time_left(window=None) -> float:
    """Seconds until the current bucket of ``window`` seconds ends."""
    window = window or settings.THROTTLE_WINDOW_SECONDS
    return window - time.time() % window


def seconds_left() -> int:
    return max(1, int(time_left()))


def keyed_digest(message: str) -> str:
    """A digest keyed by SECRET_KEY: what a counter is keyed on, never the text in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _digest(identifier):
    return keyed_digest(identifier.strip().lower())[:16]


def _known(request):
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt=_SALT,
            max_age=settings.THROTTLE_DEVICE_COOKIE_AGE,
        )
    except signing.BadSignature:
        return []
    return value if isinstance(value, list) else []


def is_trusted_device(request, identifier) -> bool:
    """This browser has signed in on this identifier before."""
    return bool(identifier) and _digest(identifier) in _known(request)


def remember_device(request, response, identifier):
    """After a successful sign-in: this browser is trusted for this identifier from now on."""
    digest = _digest(identifier)
    known = [d for d in _known(request) if d != digest] + [digest]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(known[-_MAX_IDENTIFIERS:], salt=_SALT),
        max_age=settings.THROTTLE_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
