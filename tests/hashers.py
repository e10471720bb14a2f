"""The password hasher of the tests whose subject is not hashing.

Still argon2id, through the same code (``OwaspArgon2PasswordHasher``'s subclass, so a spy on
its ``verify`` sees every check), at the smallest parameters argon2 accepts: a hash costs a few
microseconds instead of ~16 ms. Tests about hashing itself, the sign-in journey and the bench
use OWASP's parameters: they are marked ``@pytest.mark.argon2`` (tests/conftest.py).
"""

import base64
import os
import threading

from accounts.hashers import OwaspArgon2PasswordHasher


class FastArgon2PasswordHasher(OwaspArgon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1


# Held by a thread of the test process while a batch hashes
# (tests/accounts/test_issue_credentials.py).
HELD_ELSEWHERE = threading.Lock()


class ProbeArgon2PasswordHasher(OwaspArgon2PasswordHasher):
    """argon2id at OWASP's parameters, whose salt says where the hash was made: the process,
    and whether ``HELD_ELSEWHERE`` was held there. The salt is written in the hash."""

    def salt(self):
        held = "held" if HELD_ELSEWHERE.locked() else "free"
        return f"{os.getpid()}-{held}-{super().salt()}"


def probe_of(encoded):
    """(process id, "held" or "free") from a hash made by ``ProbeArgon2PasswordHasher``."""
    salt = base64.b64decode(encoded.split("$")[4] + "==").decode()
    pid, held, _ = salt.split("-", 2)
    return int(pid), held
