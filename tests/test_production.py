"""Production mode: refuses to start badly configured, passes check --deploy, and serves under
gunicorn + WhiteNoise with its security headers."""

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.helpers import (
    GUARD_SECONDS,
    free_port,
    production_env,
    production_workers,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "needs SECRET_KEY"),
        ({"SECRET_KEY": "court"}, "needs SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "needs ALLOWED_HOSTS"),
        ({"DEBUG": "1"}, "cannot run with DEBUG"),
        ({"IDP_OIDC_PRIVATE_KEY": ""}, "needs IDP_OIDC_PRIVATE_KEY"),
        ({"IDP_OIDC_PRIVATE_KEY": "pas une clé"}, "is not a PEM private key"),
        ({"IDP_OIDC_PRIVATE_KEY": "", "IDP_OIDC_PRIVATE_KEY_FILE": "/nulle/x.pem"}, "no such file"),
    ],
)
def test_production_refuses_to_start_badly_configured(tmp_path, change, message):
    result = manage(production_env(tmp_path, **change), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_per_process_cache_unless_one_process_serves(tmp_path):
    """Several workers with local memory: as many lockouts as workers, SMS codes lost."""
    env = production_env(tmp_path)
    env.pop("REDIS_URL", None)
    env.pop("SINGLE_PROCESS", None)
    result = manage(env, "check")
    assert result.returncode != 0
    assert "needs REDIS_URL" in result.stderr and "SINGLE_PROCESS=1" in result.stderr
    assert manage({**env, "SINGLE_PROCESS": "1"}, "check").returncode == 0
    redis = {**env, "REDIS_URL": "redis://127.0.0.1:6379/15"}
    assert manage(redis, "check", "--deploy", "--fail-level", "WARNING").returncode == 0


def test_check_deploy_is_clean(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with _opener.open(request, timeout=GUARD_SECONDS) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_and_whitenoise_serve_the_portal(tmp_path, collected_static):
    env = production_env(tmp_path, STATIC_ROOT=str(collected_static))
    assert manage(env, "migrate", "--noinput").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ent_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            production_workers(env),
            "--threads",
            "2",
            # gunicorn kills a worker silent for 30 s: on a loaded machine, a guard instead.
            "--timeout",
            str(GUARD_SECONDS),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/sante/vivant/", server)
        status, headers, body = _get(base + "/sante/")
        assert status == 200 and b'"database": "ok"' in body

        https = {"X-Forwarded-Proto": "https"}
        status, headers, body = _get(base + "/educonnect/login/", **https)
        assert status == 200
        assert "Simulation de formation." in body.decode()
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "Secure" in headers["Set-Cookie"]

        css = body.decode().split('href="/static/css/portal.')[1].split('"')[0]
        status, headers, _ = _get(f"{base}/static/css/portal.{css}", **https)
        assert status == 200 and "max-age" in headers["Cache-Control"]

        status, headers, _ = _get(base + "/educonnect/login/")
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        server.terminate()
        server.wait(timeout=GUARD_SECONDS)


def test_health_reports_database_and_cache(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_health_says_503_when_the_cache_is_down(client, db, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_every_page_has_a_csp_without_inline_script(client, db):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    script = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("backend", ["console", "locmem", "filebased"])
def test_production_refuses_mail_that_stays_on_the_server(tmp_path, backend):
    """Password-reset links would land in the server's log (how a pupil account was taken)."""
    env = production_env(
        tmp_path, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "EMAIL_BACKEND" in result.stderr and "ALLOW_LOCAL_EMAIL_IN_PRODUCTION" in result.stderr
    env["ALLOW_LOCAL_EMAIL_IN_PRODUCTION"] = "1"
    assert manage(env, "check").returncode == 0


@pytest.mark.parametrize("backend", ["DemoPhoneBackend", "ConsoleBackend", "LocmemBackend"])
def test_production_refuses_sms_that_stay_on_the_server(tmp_path, backend):
    """The demo phone and the console write real numbers' registration codes to the log."""
    env = production_env(tmp_path, SMS_BACKEND=f"families.sms.{backend}")
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SMS_BACKEND" in result.stderr and "ALLOW_LOCAL_SMS_IN_PRODUCTION" in result.stderr
    env["ALLOW_LOCAL_SMS_IN_PRODUCTION"] = "1"
    assert manage(env, "check").returncode == 0
