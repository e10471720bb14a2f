"""The state of one SMS self-registration (« Je n'ai pas de compte » for parents).

It lives in the shared cache, under a random token kept in the session: the code is never in
the session itself (nor anywhere in clear: an HMAC of it), and the count of tries is an atomic
counter that a replayed cookie cannot reset."""

import hashlib
import hmac
import secrets
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache

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
    code_digest: str = ""
    code_sent_at: float = 0.0
    resends: int = 0
    verified: bool = False
    confirmed_children: list = field(default_factory=list)
    child_failures: int = 0
    seen_at: float = 0.0  # last step shown: left idle on a shared computer, it ends

    @property
    def tries_key(self):
        return f"families:registration:{self.token}:tries"

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
        cache.add(self.tries_key, 0, timeout=LIFETIME)
        try:
            return cache.incr(self.tries_key)
        except ValueError:
            cache.add(self.tries_key, 1, timeout=LIFETIME)
            return 1

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
    def start(cls, request, *, mobile, parent_id) -> "Registration":
        forget(request)
        return cls(token=secrets.token_urlsafe(24), mobile=mobile, parent_id=parent_id)

    @classmethod
    def load(cls, request) -> "Registration | None":
        token = request.session.get(SESSION_KEY)
        data = cache.get(f"families:registration:{token}") if token else None
        if not data:
            return None
        registration = cls(**data)
        if time.time() - registration.seen_at > settings.ACTIVATION_IDLE_SECONDS:
            # Like an activation left on a classroom computer: the next person starts anew.
            forget(request)
            return None
        registration.save(request)
        return registration


def forget(request):
    token = request.session.pop(SESSION_KEY, None)
    if token:
        cache.delete(f"families:registration:{token}")
        cache.delete(f"families:registration:{token}:tries")
