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

from core import cache as counters

DEVICE_COOKIE = "ent_appareil"
_SALT = "accounts.throttle.device"
_MAX_IDENTIFIERS = 60  # a classroom computer sees several classes


def bucket(kind, who, window):
    """The cache key of ``who``'s count of ``kind`` in the current window."""
    return f"throttle:{kind}:{who}:{int(time.time() // window)}"


def count_up(key, timeout) -> int:
    """One more under ``key`` in the shared cache (core/cache.py ``count_up``)."""
    return counters.count_up(cache, key, timeout)


def count(kind, who, window=None) -> int:
    """Count one more in ``who``'s current bucket of ``window`` seconds (an address's, by
    default THROTTLE_WINDOW_SECONDS; families/limits.py counts its own), atomically; the new
    total."""
    window = window or settings.THROTTLE_WINDOW_SECONDS
    return count_up(bucket(kind, who, window), window * 2)


def current(kind, who, window=None) -> int:
    window = window or settings.THROTTLE_WINDOW_SECONDS
    return cache.get(bucket(kind, who, window)) or 0


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
    """The identifiers (digests) this browser signed in on, and when its cookie was signed
    (seconds since the epoch, None without a valid cookie): its signature checked once per
    request, at the first question."""
    read = getattr(request, "_ent_known_devices", None)
    if read is None:
        value = request.COOKIES.get(DEVICE_COOKIE, "")
        try:
            known = signing.loads(value, salt=_SALT, max_age=settings.THROTTLE_DEVICE_COOKIE_AGE)
            # « payload:timestamp:signature », the timestamp checked by the line above.
            signed_at = signing.b62_decode(value.rsplit(":", 2)[1])
        except (signing.BadSignature, ValueError, IndexError):
            known, signed_at = [], None
        read = request._ent_known_devices = (known if isinstance(known, list) else [], signed_at)
    return read


def is_trusted_device(request, identifier) -> bool:
    """This browser has signed in on this identifier before."""
    return bool(identifier) and _digest(identifier) in _known(request)[0]


def remember_device(request, response, identifier):
    """After a successful sign-in: this browser is trusted for this identifier from now on.

    Not signed again when nothing would change: the identifier is already the last one this
    browser signed in on, and its cookie is less than half its age old (so that a browser in
    use keeps its trust, as when it was signed at every sign-in)."""
    digest = _digest(identifier)
    known, signed_at = _known(request)
    age = settings.THROTTLE_DEVICE_COOKIE_AGE
    if known[-1:] == [digest] and signed_at is not None and time.time() - signed_at < age / 2:
        return
    known = [d for d in known if d != digest] + [digest]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(known[-_MAX_IDENTIFIERS:], salt=_SALT),
        max_age=age,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
