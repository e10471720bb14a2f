"""The bench's peer: a bare Django sign-in beside the portal, for `bench/run.py` only.

Same hasher, database, cache and session store as the portal (its settings are read from the
same environment), but only Django's own pieces: five middleware, `contrib.auth`'s LoginView,
one authenticated page, plain templates. Never imported by the portal's settings or URLs
(tests/test_layering.py checks it): it is what « a sign-in costs in bare Django » means here.
"""

from ent_portal.settings import *  # noqa: F403
from ent_portal.settings import BASE_DIR

# The portal's models stay loadable (accounts.User is the user model), but not django-allauth:
# its session list, stages and middleware are the portal's cost, not the peer's.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "audit",
    "schools",
    "accounts",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "bench.peer_urls"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bench" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
LOGIN_URL = "/banc/pair/connexion/"
LOGIN_REDIRECT_URL = "/banc/pair/page/"
