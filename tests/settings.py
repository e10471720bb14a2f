"""Settings for the test suite: the project's settings with test-only defaults.

Everything still comes from ent_portal/settings.py and the environment (DATABASE_URL, REDIS_URL),
so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if not os.environ.get("IDP_OIDC_PRIVATE_KEY"):
    # A signing key of this run only (never data/oidc-dev-key.pem of a developer's `make run`).
    from idp.keys import new_private_key_pem

    os.environ["IDP_OIDC_PRIVATE_KEY"] = new_private_key_pem()

from ent_portal.settings import *  # noqa: E402,F403
