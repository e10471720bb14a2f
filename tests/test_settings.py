"""Settings come from the environment, and a malformed value stops the start-up clearly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import envbool, envint, envlist
from tests.helpers import GUARD_SECONDS

ROOT = Path(__file__).resolve().parent.parent


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print('ok', s.PRODUCTION, s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
)


def start(**env):
    """Load the real settings in a fresh interpreter with exactly these variables; prints
    « ok », then PRODUCTION, DEBUG, SESSION_COOKIE_SECURE and SECURE_SSL_REDIRECT."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ENV", "ALLOWED_HOSTS", "EMAIL_BACKEND"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="ent_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )


def test_without_debug_a_secret_key_is_required():
    result = start()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_has_a_development_secret_key():
    assert start(DEBUG="1").stdout.split() == ["ok", "False", "True", "False", "False"]


def test_production_starts_with_a_secret_key_and_secure_cookies():
    result = start(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ent.example",
        MFA_ENCRYPTION_KEYS=secrets.token_urlsafe(32),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SINGLE_PROCESS="1",
        SMS_BACKEND="families.sms.HttpGatewayBackend",
        SMS_GATEWAY_URL="https://sms.example.fr/envoi",
    )
    assert result.stdout.split() == ["ok", "True", "False", "True", "True"], result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "peut-être"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("REDIS_URL", "localhost:6379"),
        ("EMAIL_BACKEND", "smtp"),
        ("EMAIL_PORT", "vingt-cinq"),
        ("PROVISIONAL_VALIDITY_MONTHS", "trois"),
    ],
)
def test_a_malformed_value_stops_the_start_up_naming_the_variable(variable, value):
    result = start(**{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_helpers_parse_and_refuse(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.fr, b.fr,")
    assert envbool("X_BOOL", False) is True
    assert envint("X_INT", 0) == 12
    assert envlist("X_LIST", []) == ["a.fr", "b.fr"]
    assert envbool("X_MISSING", True) is True
    monkeypatch.setenv("X_INT", "1.5")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        envint("X_INT", 0)


def test_the_portal_speaks_french_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


def test_an_sms_gateway_without_its_https_address_stops_the_start_up():
    result = start(DEBUG="1", SMS_BACKEND="families.sms.HttpGatewayBackend")
    assert result.returncode != 0 and "SMS_GATEWAY_URL" in result.stderr


def test_an_unknown_sms_backend_stops_the_start_up():
    result = start(DEBUG="1", SMS_BACKEND="sms.Nowhere")
    assert result.returncode != 0 and "SMS_BACKEND" in result.stderr


def test_production_opens_the_demo_mailbox_only_for_a_demonstration():
    """Anyone may read the demo mailbox: in production it is off unless a demonstration says so,
    and the refusal of local mail backends still holds."""
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ent.example",
        "MFA_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SINGLE_PROCESS": "1",
        "SMS_BACKEND": "families.sms.HttpGatewayBackend",
        "SMS_GATEWAY_URL": "https://sms.example.fr/envoi",
    }
    assert start(**production).returncode == 0
    refused = start(**production, DEMO_MAILBOX="1")
    assert refused.returncode != 0 and "DEMO_MAILBOX" in refused.stderr
    assert (
        start(**production, DEMO_MAILBOX="1", ALLOW_LOCAL_EMAIL_IN_PRODUCTION="1").returncode == 0
    )
    local = start(
        **{**production, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
    assert local.returncode != 0 and "ALLOW_LOCAL_EMAIL_IN_PRODUCTION" in local.stderr
