"""An example school service (« Cahier de textes », « Médiathèque »…) for developers: it signs in
through the portal with allauth's OpenID Connect client and with django-cas-ng, like a real
service would. Configured by environment variables only (docs/fournisseur-identite.md):

EXAMPLE_PORTAL_URL           the portal, e.g. http://127.0.0.1:8000
EXAMPLE_NAME                 the name shown on its pages
EXAMPLE_OIDC_CLIENT_ID       the client id of its registry entry (no id: no OIDC button)
EXAMPLE_OIDC_CLIENT_SECRET   its secret
EXAMPLE_OIDC_SCOPE           default « openid identifiant profile etablissement email »
EXAMPLE_CAS                  1: a CAS button too
EXAMPLE_DATABASE             its SQLite file
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PORTAL_URL = os.environ.get("EXAMPLE_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
NAME = os.environ.get("EXAMPLE_NAME", "Service scolaire d'exemple")
OIDC_CLIENT_ID = os.environ.get("EXAMPLE_OIDC_CLIENT_ID", "")
CAS_ENABLED = os.environ.get("EXAMPLE_CAS", "") == "1"

DEBUG = True
SECRET_KEY = os.environ.get("EXAMPLE_SECRET_KEY", "example-service-development-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Its cookies must not be the portal's: cookies ignore ports, and both run on 127.0.0.1.
_tag = os.environ.get("EXAMPLE_COOKIE_TAG", "exemple")
SESSION_COOKIE_NAME = f"{_tag}_sessionid"
CSRF_COOKIE_NAME = f"{_tag}_csrftoken"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_cas_ng",
    "school_service",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
ROOT_URLCONF = "school_service.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EXAMPLE_DATABASE", str(BASE_DIR.parent / "example.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LANGUAGE_CODE = "fr-fr"

AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "django_cas_ng.backends.CASBackend",
]
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# OpenID Connect: allauth's client, authorization code + PKCE, secret in the Basic header.
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = True
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "SCOPE": os.environ.get(
            "EXAMPLE_OIDC_SCOPE", "openid identifiant profile etablissement email"
        ).split(),
        "APPS": [
            {
                "provider_id": "ent",
                "name": "Mon ENT",
                "client_id": OIDC_CLIENT_ID,
                "secret": os.environ.get("EXAMPLE_OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": PORTAL_URL,
                    "token_auth_method": "client_secret_basic",
                },
            }
        ]
        if OIDC_CLIENT_ID
        else [],
    }
}

# CAS 3.0: django-cas-ng, attributes from /cas/p3/serviceValidate, single sign-out.
CAS_SERVER_URL = f"{PORTAL_URL}/cas/"
CAS_VERSION = "3"
CAS_CREATE_USER = True
CAS_LOGOUT_COMPLETELY = True
CAS_REDIRECT_URL = "/"
CAS_STORE_NEXT = True
