"""The state of one SMS self-registration (« Je n'ai pas de compte » for parents).

It lives in the shared cache, under a random token kept in the session: the code is never in
the session itself (nor anywhere in clear: an HMAC of it), and the count of tries is an atomic
counter that a replayed cookie cannot reset."""

import contextlib
import hashlib
import hmac
import secrets
import time
from dataclasses import asdict, dataclass, field, fields

from django.conf import settings
from django.core.cache import cache

from accounts.throttle import count_up

SESSION_KEY = "families_registration"
LIFETIME = 3600  # the whole registration, code included, within an hour


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def digest(token: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Registration:
    token: str
    mobile: str
    parent_id: int | None  # None: the number or the names are unknown (same screens)
    limit_key: str = ""  # the number and the names typed, for the per-number limit (a digest)
    code_digest: str = ""
    code_sent_at: float = 0.0
    resends: int = 0
    verified: bool = False
    confirmed_children: list = field(default_factory=list)
    seen_at: float = 0.0  # last step shown: left idle on a shared computer, it ends

    @property
    def tries_key(self):
        return f"families:registration:{self.token}:tries"

    @property
    def guesses_key(self):
        return f"families:registration:{self.token}:child-guesses"

    def count_child_guess(self) -> int:
        """Count one birth date typed, atomically, before it is compared (two browsers
        guessing at once are counted one after the other); the new total."""
        return count_up(self.guesses_key, LIFETIME)

    def give_back_child_guess(self) -> None:
        """A right birth date does not count against the limit."""
        with contextlib.suppress(ValueError):  # the counter expired meanwhile
            cache.decr(self.guesses_key)

    def new_code(self) -> str:
        code = new_code()
        self.code_digest = digest(self.token, code)
        self.code_sent_at = time.time()
        cache.delete(self.tries_key)
        return code

    def code_expired(self) -> bool:
        return time.time() - self.code_sent_at > settings.SMS_CODE_VALIDITY_SECONDS

    def count_try(self) -> int:
        """Count one try, atomically, before the code is checked; the new total."""
        return count_up(self.tries_key, LIFETIME)

    def code_matches(self, code: str) -> bool:
        return (
            self.parent_id is not None
            and bool(self.code_digest)
            and hmac.compare_digest(self.code_digest, digest(self.token, code.strip()))
        )

    def save(self, request):
        self.seen_at = time.time()
        cache.set(f"families:registration:{self.token}", asdict(self), timeout=LIFETIME)
        request.session[SESSION_KEY] = self.token

    @classmethod
    def start(cls, request, *, mobile, parent_id, limit_key="") -> "Registration":
        forget(request)
        return cls(
            token=secrets.token_urlsafe(24),
            mobile=mobile,
            parent_id=parent_id,
            limit_key=limit_key,
        )

    @classmethod
    def load(cls, request) -> "Registration | None":
        token = request.session.get(SESSION_KEY)
        data = cache.get(f"families:registration:{token}") if token else None
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        registration = cls(**{k: v for k, v in data.items() if k in known})
        if time.time() - registration.seen_at > settings.ACTIVATION_IDLE_SECONDS:
            # Like an activation left on a classroom computer: the next person starts anew.
            forget(request)
            return None
        registration.save(request)
        return registration


def forget(request):
    token = request.session.pop(SESSION_KEY, None)
    if token:
        # The counters stay until they expire: a browser that read the registration before it
        # ended must find them spent, not back at zero.
        cache.delete(f"families:registration:{token}")
