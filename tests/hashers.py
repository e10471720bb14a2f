"""The password hasher of the tests whose subject is not hashing.

Still argon2id, through the same code (``OwaspArgon2PasswordHasher``'s subclass, so a spy on
its ``verify`` sees every check), at the smallest parameters argon2 accepts: a hash costs a few
microseconds instead of ~16 ms. Tests about hashing itself, the sign-in journey and the bench
use OWASP's parameters: they are marked ``@pytest.mark.argon2`` (tests/conftest.py).
"""

from accounts.hashers import OwaspArgon2PasswordHasher


class FastArgon2PasswordHasher(OwaspArgon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
