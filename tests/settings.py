"""Settings for the test suite: the project's settings with test-only defaults.

Everything still comes from ent_portal/settings.py and the environment (DATABASE_URL, REDIS_URL),
so the same suite runs on SQLite and on PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SMS_BACKEND", "families.sms.LocmemBackend")
if not os.environ.get("IDP_OIDC_PRIVATE_KEY"):
    # A signing key of this run only (never data/oidc-dev-key.pem of a developer's `make run`).
    from idp.keys import new_private_key_pem

    os.environ["IDP_OIDC_PRIVATE_KEY"] = new_private_key_pem()

# One namespace of the shared cache per test process (each xdist worker, and the processes a
# test starts, which inherit it): a test clears its own keys, never another run's
# (tests/conftest.py). A whole-database flush would wipe a parallel worker's counters.
# The workers inherit the controller's environment: their own name decides, not what it set.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["TEST_CACHE_PREFIX"] = "test-{}-{}".format(
        os.environ["PYTEST_XDIST_TESTRUNUID"][:12], os.environ["PYTEST_XDIST_WORKER"]
    )
else:
    os.environ.setdefault("TEST_CACHE_PREFIX", f"test-{os.getpid()}")

from ent_portal.settings import *  # noqa: E402,F403
from ent_portal.settings import CACHES, DATABASES, PASSWORD_HASHERS  # noqa: E402

CACHES["default"]["KEY_PREFIX"] = os.environ["TEST_CACHE_PREFIX"]

# argon2id at its smallest parameters (tests/hashers.py): hashing at OWASP's was more than half
# of the suite's CPU. The tests about hashing, the sign-in journey and the bench keep the real
# parameters: ``@pytest.mark.argon2``, or TEST_REAL_HASHING=1 for a process a test starts.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS
if os.environ.get("TEST_REAL_HASHING") != "1":
    PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher", *PASSWORD_HASHERS[1:]]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not SQLite's in-memory database: other processes (the real `db_worker`) and
    # threads must see the test's data, and take the same write lock as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"ent-portal-tests-{os.getpid()}.sqlite3")
    }

# The séance page's browser test waits for its updates: they come every second here.
SEANCE_REFRESH_SECONDS = 1
