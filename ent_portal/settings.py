"""Settings of the ENT portal, read from environment variables only.

Every variable is listed in docs/exploitation.md. Malformed values stop the start-up with a
message that names the variable (see core/env.py).
"""

from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured

from core.env import env, envbool, envchoice, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

# Production mode: refuses to start without a real secret and explicit hosts; HTTPS only.
# Classroom mode (``make classroom``, scripts/classroom): a lesson served from a teacher's laptop
# to the school's network, with production's server, refusals and static files, but over plain
# HTTP (no certificate on a laptop) and with the demo phone and local mail (docs/enseignant.md).
DJANGO_ENV = envchoice("DJANGO_ENV", "development", {"development", "production", "classroom"})
PRODUCTION = DJANGO_ENV == "production"
CLASSROOM = DJANGO_ENV == "classroom"
if CLASSROOM:
    if DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ENV=classroom cannot run with DEBUG=1: the room's network would see its pages."
        )
    if len(env("SECRET_KEY")) < 50 or len(set(env("SECRET_KEY"))) < 5:
        raise ImproperlyConfigured(
            "DJANGO_ENV=classroom needs SECRET_KEY: at least 50 random characters "
            "(make classroom keeps one in data/classroom-secret)."
        )
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production cannot run with DEBUG=1.")
    if len(env("SECRET_KEY")) < 50 or len(set(env("SECRET_KEY"))) < 5:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY: at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not env("ALLOWED_HOSTS"):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=ent.example.fr"
        )

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (a long random string). Only DEBUG=1 has a development default."
        )
    SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "core",  # the ground floor: used by every room below, uses none (docs/architecture.md)
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "allauth.mfa",
    "allauth.idp.oidc",
    "django_tasks",
    "django_tasks_db",
    "phonenumber_field",
    # Ours, from the ground floor up (docs/architecture.md, « Les pièces et leurs étages »).
    "audit",
    "schools",
    "accounts",
    "families",
    "charter",
    "portal",
    "pronote",
    "idp",
    "staff",
    "classroom",  # the teacher's space, on top beside staff (its admin.py after staff's)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # A séance's live poll that carries a valid poll token and finds nothing changed: 304
    # before the session and the user are loaded (staff/live.py says what it reveals).
    "staff.live.NotModifiedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RequestHygieneMiddleware",  # before anything reads the body (CSRF)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "charter.middleware.CharterGateMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
]

# A NUL byte in an address or its query is a 400 before any view (core/middleware.py): no
# database stores one. At the identity provider's addresses the form is read too (its lookups take
# what a client sends, allauth's token endpoint included), and a CAS client that validates a
# ticket gets its answer as CAS XML.
NUL_BYTES_IN_FORMS_PATHS = ["/identity/", "/cas/", "/fournisseur/", "/.well-known/"]
NUL_BYTES_ANSWERS = {
    "/cas/serviceValidate": "idp.views.cas_invalid_request",
    "/cas/p3/serviceValidate": "idp.views.cas_invalid_request",
}
# Request bodies (core/middleware.py): forms are small; only staff upload a file (a CSV).
MAX_FORM_BYTES = envint("MAX_FORM_BYTES", 64 * 1024)
MAX_STAFF_UPLOAD_BYTES = envint("MAX_STAFF_UPLOAD_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_STAFF_UPLOAD_BYTES + 64 * 1024  # a CSV stays in memory

# Production and the classroom serve the collected static files (runserver does in development).
SERVES_COLLECTED_STATIC = PRODUCTION or CLASSROOM
if SERVES_COLLECTED_STATIC:
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

# The charter in force must be accepted before any page under these paths (charter/rules.py).
CHARTER_GATED_PATHS = ["/ent/", "/pronote/"]

ROOT_URLCONF = "ent_portal.urls"
WSGI_APPLICATION = "ent_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "libraries": {"french": "core.french"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

# Database: a SQLite file by default, anything dj-database-url understands otherwise
# (postgres://user@127.0.0.1:5432/ent_portal).
# The classroom's own file (in the git-ignored data/), never the development database.
_sqlite_file = BASE_DIR / ("data/classroom.sqlite3" if CLASSROOM else "db.sqlite3")
_default_sqlite = f"sqlite:///{_sqlite_file}"
try:
    DATABASES = {
        # Persistent connections: opening one to PostgreSQL costs more than a page (bench/).
        "default": dj_database_url.parse(
            env("DATABASE_URL") or _default_sqlite,
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A PostgreSQL being restarted: a request waits this long for a connection, then is a
    # French 503 (core/errors.py); the next request reconnects (conn_health_checks above).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (runserver, gunicorn) write at once: take the write lock at the start of
    # each transaction and wait for it, instead of failing with « database is locked ».
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate limits and the pending sign-in counters live here, so they must be shared by every
# worker in production: set REDIS_URL there. Local memory is right for one process only.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss://")
    CACHES = {
        "default": {
            # Django's RedisCache, counting attempts in one round trip (core/cache.py).
            "BACKEND": "core.cache.CountingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is away fails the request at once (a French 503, core/errors.py)
            # instead of holding a gunicorn thread: the cluster's other pieces stay free.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 3},
        }
    }
    # Sessions too, so that a page view costs no database write (sign-in, then every page).
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Local memory is one process's own: with several workers, each would have its own lockout and
# address limits (as many times 5 tries as workers) and an SMS registration begun on one worker
# would be lost on the next. Production needs REDIS_URL, unless the operator says only one
# process serves (one gunicorn worker, threads allowed: docs/exploitation.md).
SINGLE_PROCESS = envbool("SINGLE_PROCESS", False)
if (PRODUCTION or CLASSROOM) and not REDIS_URL and not SINGLE_PROCESS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV} needs REDIS_URL (redis://…): without it the cache, the lockout, "
        "the address limits and the SMS registrations are each worker's own. With one gunicorn "
        "worker only (--workers 1), SINGLE_PROCESS=1 allows the process's memory."
    )

AUTH_USER_MODEL = "accounts.User"
# allauth's backend is a ModelBackend: it serves the admin's sign-in too (one hash per attempt).
# Ours only reads the session's user with a query written once (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.PortalBackend"]

# argon2id at OWASP's parameters first (accounts/hashers.py; it also reads argon2 hashes made
# with other parameters); the others stay so that older hashes keep working and are upgraded at
# the next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # The services' client secrets only (random 256 bits): a keyed HMAC (idp/client_secrets.py).
    "idp.client_secrets.ClientSecretHasher",
]

# The seed's rule (8 characters, 1 uppercase, 1 special among !?@#&=+-%<>) plus Django's checks.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.UppercaseValidator"},
    {"NAME": "accounts.validators.SpecialCharacterValidator"},
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.BirthDateValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]

# django-allauth: sign-in by identifier only, no open sign-up, activation as a login stage.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# An e-mail address is optional; once given it is used for nothing (lost identifier, lost
# password) until verified by its link. Families share addresses: not unique.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mon ENT — simulation] "
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = False  # school computers are shared: the session ends with the browser
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_TIMEOUT = 30 * 60  # time to fill in the activation form after the sign-in
# A shared classroom computer: a half-finished activation left alone this long is ended, so that
# the next pupil never lands on « Bonjour Noah ! Créer mon compte » (accounts/flows/activation.py).
ACTIVATION_IDLE_SECONDS = envint("ACTIVATION_IDLE_SECONDS", 10 * 60)
# A whole class signs in at once from the school's single public address. allauth's sign-in
# limits keep a pickled list per address behind a lock (a class contends on it, and a busy
# lock refuses an honest sign-in): they are off, and accounts/throttle.py counts per address
# in atomic time buckets instead, which a browser that already signed in never meets.
# Per identifier, accounts/lockout.py.
THROTTLE_WINDOW_SECONDS = envint("THROTTLE_WINDOW_SECONDS", 60)
THROTTLE_DEVICE_COOKIE_AGE = envint("THROTTLE_DEVICE_COOKIE_AGE", 365 * 24 * 3600)
SIGN_INS_PER_ADDRESS_PER_WINDOW = envint("RATE_LIMIT_SIGN_INS_PER_IP_PER_MINUTE", 600)
FAILURES_PER_ADDRESS_PER_WINDOW = envint("RATE_LIMIT_FAILURES_PER_IP_PER_MINUTE", 100)
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "lost_identifier": "20/m/ip,3/900s/key",
}
# Behind a reverse proxy every visitor would have the proxy's address: the client's is read from
# X-Forwarded-For, through exactly this many proxies of ours (0: the header is ignored, as it
# can be forged). Used by the audit, the lockout and every rate limit (adapter.get_client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Charter art. 6: data of a person who left are deleted 3 months after leaving.
RETENTION_MONTHS_AFTER_DEPARTURE = envint("RETENTION_MONTHS_AFTER_DEPARTURE", 3)
LOCKOUT_MAX_FAILURES = envint("LOCKOUT_MAX_FAILURES", 5)
LOCKOUT_WINDOW_SECONDS = envint("LOCKOUT_WINDOW_SECONDS", 15 * 60)
LOCKOUT_SECONDS = envint("LOCKOUT_SECONDS", 15 * 60)
# Wrong birth dates at activation count against the letter, across sign-ins: at this number the
# letter is blocked until staff re-issue it (whoever holds a letter could guess otherwise).
ACTIVATION_MAX_BIRTH_DATE_FAILURES = envint("ACTIVATION_MAX_BIRTH_DATE_FAILURES", 5)
# Staff: a TOTP code at every sign-in to the admin (accounts/middleware.py), as in the real system.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {"authenticate": "accounts.forms.SecondFactorForm"}  # wrong codes count, audited
MFA_ADAPTER = "accounts.mfa.MFAAdapter"  # TOTP secrets encrypted at rest (accounts/mfa.py)
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS", [])
if not MFA_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs MFA_ENCRYPTION_KEYS (a long random string) to encrypt "
            "the staff's TOTP secrets in the database."
        )
    MFA_ENCRYPTION_KEYS = ["mfa:" + SECRET_KEY]
MFA_TOTP_ISSUER = "Mon ENT (simulation)"
# Every letter printing, class reset and import runs in the background (staff/jobs.py,
# staff/tasks.py): in the database, so the embedded default needs no other service;
# `manage.py db_worker` runs them (make run starts one).
# At scale: django-tasks-rq with REDIS_URL (docs/exploitation.md, « Travaux en arrière-plan »).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The « Séance » page (staff/views.py) asks for news this often (or reloads, without JavaScript).
SEANCE_REFRESH_SECONDS = envint("SEANCE_REFRESH_SECONDS", 5)
# The address pupils type, printed on letters, the projector and by ``demo`` (core/site.py).
# Empty: the address the browser used. ``make classroom`` sets it to the laptop's address.
PUBLIC_URL = env("PUBLIC_URL").rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PUBLIC_URL={PUBLIC_URL!r} must start with http:// or https://")
# Practice classes of invented pupils are deleted this many days after their creation.
PRACTICE_CLASS_DAYS = envint("PRACTICE_CLASS_DAYS", 30)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:services"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script anywhere (ours are files); in every mode, so that the browser
# tests see what production sees.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sante/"]  # probes may ask over plain HTTP
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The portal as identity provider of the school's services (idp/, docs/fournisseur-identite.md):
# OpenID Connect through allauth.idp.oidc, and CAS.
IDP_OIDC_ENABLED = envbool("IDP_OIDC_ENABLED", True)
IDP_OIDC_ADAPTER = "idp.adapter.PortalOIDCAdapter"
# The RSA key that signs ID tokens: the PEM itself, or a file holding it. In development only,
# data/oidc-dev-key.pem (made once by `make run`) is the default.
IDP_OIDC_PRIVATE_KEY = env("IDP_OIDC_PRIVATE_KEY")
_key_file = env("IDP_OIDC_PRIVATE_KEY_FILE") or (
    "" if PRODUCTION else str(BASE_DIR / "data" / "oidc-dev-key.pem")
)
if not IDP_OIDC_PRIVATE_KEY and _key_file and Path(_key_file).is_file():
    IDP_OIDC_PRIVATE_KEY = Path(_key_file).read_text()
elif not IDP_OIDC_PRIVATE_KEY and env("IDP_OIDC_PRIVATE_KEY_FILE"):
    raise ImproperlyConfigured(f"IDP_OIDC_PRIVATE_KEY_FILE={_key_file!r}: no such file.")
if IDP_OIDC_PRIVATE_KEY and "PRIVATE KEY-----" not in IDP_OIDC_PRIVATE_KEY:
    raise ImproperlyConfigured("IDP_OIDC_PRIVATE_KEY is not a PEM private key.")
if PRODUCTION and IDP_OIDC_ENABLED and not IDP_OIDC_PRIVATE_KEY:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production with OpenID Connect needs IDP_OIDC_PRIVATE_KEY (a PEM RSA key) or "
        "IDP_OIDC_PRIVATE_KEY_FILE, e.g. openssl genpkey -algorithm RSA -pkeyopt "
        "rsa_keygen_bits:2048; or IDP_OIDC_ENABLED=0."
    )
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = envint("IDP_OIDC_ACCESS_TOKEN_SECONDS", 3600)
IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN = 60
# A CAS service ticket is valid this many seconds, once.
IDP_CAS_TICKET_SECONDS = envint("IDP_CAS_TICKET_SECONDS", 10)
# Single sign-out, sent by the background worker (idp/tasks.py): how long it waits for each
# service, for all of a sign-out's services together, how often it tries, how long between
# tries (times the attempt), and how many services one portal session may have to be told.
IDP_LOGOUT_TIMEOUT_SECONDS = envint("IDP_LOGOUT_TIMEOUT_SECONDS", 3)
IDP_LOGOUT_DEADLINE_SECONDS = envint("IDP_LOGOUT_DEADLINE_SECONDS", 10)
IDP_LOGOUT_ATTEMPTS = 3
IDP_LOGOUT_RETRY_SECONDS = 60
IDP_LOGOUT_NOTICES_PER_SESSION = 20

# Provisional credentials: validity of a letter, in months (docs/architecture.md: 3 months).
PROVISIONAL_VALIDITY_MONTHS = envint("PROVISIONAL_VALIDITY_MONTHS", 3)

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Bootstrap's CSS comes from the xstatic-bootstrap package (no CDN, nothing fetched at run time);
# only its css/ folder is published, as static/bootstrap/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", Path(xstatic.pkg.bootstrap.BASE_DIR) / "css"),
]
# Production and the classroom serve collected, hashed, compressed files through WhiteNoise
# (collectstatic first).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SERVES_COLLECTED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: to the console by default; never to the outside world unless configured.
# EMAIL_BACKEND (the variable) names the backend that delivers; Django's EMAIL_BACKEND may be the
# demo mailbox wrapped around it (DEMO_MAILBOX, below).
EMAIL_DELIVERY_BACKEND = envchoice(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    },
)
# In production, mail that never leaves the server (console, memory, files) would put
# password-reset links in the server's log or disk: refused, unless a demonstration says so.
ALLOW_LOCAL_EMAIL_IN_PRODUCTION = envbool("ALLOW_LOCAL_EMAIL_IN_PRODUCTION", False)
if (
    PRODUCTION
    and EMAIL_DELIVERY_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "filebased"}
    and not ALLOW_LOCAL_EMAIL_IN_PRODUCTION
):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs EMAIL_BACKEND set to a real backend (smtp): with "
        f"{EMAIL_DELIVERY_BACKEND} the password-reset links would be written to the server's "
        "log. For a demonstration only, ALLOW_LOCAL_EMAIL_IN_PRODUCTION=1 allows it."
    )
# « Boîte mail de démonstration » (accounts/mail.py): mail to invented addresses (example.com,
# example.net, example.org, *.example, *.test) is kept a day for a page anyone may read, the rest
# goes to EMAIL_DELIVERY_BACKEND. On by default except in production, where it is a
# demonstration's choice: an account whose address is invented could be reset by anyone.
DEMO_MAILBOX = envbool("DEMO_MAILBOX", not PRODUCTION)
if PRODUCTION and DEMO_MAILBOX and not ALLOW_LOCAL_EMAIL_IN_PRODUCTION:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production with DEMO_MAILBOX=1 shows the mail of invented addresses to "
        "anyone. For a demonstration only, ALLOW_LOCAL_EMAIL_IN_PRODUCTION=1 allows it."
    )
EMAIL_BACKEND = "accounts.mail.DemoMailboxBackend" if DEMO_MAILBOX else EMAIL_DELIVERY_BACKEND
# SMS (families/sms.py): to the demo phone and the console by default; a gateway only if set.
SMS_BACKEND = envchoice(
    "SMS_BACKEND",
    "families.sms.DemoPhoneBackend",
    {
        "families.sms.DemoPhoneBackend",
        "families.sms.ConsoleBackend",
        "families.sms.LocmemBackend",
        "families.sms.HttpGatewayBackend",
    },
)
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
if SMS_BACKEND == "families.sms.HttpGatewayBackend" and not SMS_GATEWAY_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SMS_BACKEND=families.sms.HttpGatewayBackend needs SMS_GATEWAY_URL (https://…)."
    )
# Likewise the SMS that stay on the server (demo phone, console, memory): the registration
# codes of real numbers would be written to the production log.
ALLOW_LOCAL_SMS_IN_PRODUCTION = envbool("ALLOW_LOCAL_SMS_IN_PRODUCTION", False)
if (
    PRODUCTION
    and SMS_BACKEND != "families.sms.HttpGatewayBackend"
    and not ALLOW_LOCAL_SMS_IN_PRODUCTION
):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SMS_BACKEND=families.sms.HttpGatewayBackend: with "
        f"{SMS_BACKEND} the registration codes would be written to the server's log. "
        "For a demonstration only, ALLOW_LOCAL_SMS_IN_PRODUCTION=1 allows it."
    )
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"
# Self-registration by SMS (families/): the code, its lifetime, tries and resends.
SMS_CODE_VALIDITY_SECONDS = envint("SMS_CODE_VALIDITY_SECONDS", 600)
SMS_CODE_MAX_TRIES = envint("SMS_CODE_MAX_TRIES", 3)
SMS_CODE_MAX_RESENDS = envint("SMS_CODE_MAX_RESENDS", 2)
SMS_PER_NUMBER_PER_DAY = envint("SMS_PER_NUMBER_PER_DAY", 5)
# Per address, a short window that slows a parents' evening down, never a long refusal.
SMS_REGISTRATIONS_PER_ADDRESS = envint("SMS_REGISTRATIONS_PER_ADDRESS", 30)
SMS_ADDRESS_WINDOW_SECONDS = envint("SMS_ADDRESS_WINDOW_SECONDS", 300)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "data" / "mails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ne-pas-repondre@ent.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # WeasyPrint and fontTools narrate every step of every PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
    "root": {
        "handlers": ["console"],
        "level": envchoice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
}
