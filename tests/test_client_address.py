"""Behind a reverse proxy (docs/exploitation.md), the client's address comes from X-Forwarded-For
through the configured number of trusted proxies, and never from a header a client could forge."""

from django.urls import reverse

from audit.models import AuditEvent


def failed_sign_in_address(client, **headers):
    client.post(
        reverse("account_login"), {"login": "x.personne1", "password": "Essai#1"}, **headers
    )
    return AuditEvent.objects.filter(action="sign_in_failed").latest("id").ip


def test_without_a_trusted_proxy_the_header_is_ignored(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert failed_sign_in_address(client, HTTP_X_FORWARDED_FOR="198.51.100.7") == "127.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_used(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert failed_sign_in_address(client, HTTP_X_FORWARDED_FOR="198.51.100.7") == "198.51.100.7"


def test_a_forged_first_hop_is_not_believed(client, db, settings):
    """A client writes its own X-Forwarded-For; the proxy appends the address it saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    forged = "203.0.113.66, 198.51.100.7"
    assert failed_sign_in_address(client, HTTP_X_FORWARDED_FOR=forged) == "198.51.100.7"


def test_garbage_in_the_header_is_refused_without_an_error_page(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    response = client.post(
        reverse("account_login"),
        {"login": "x.personne1", "password": "Essai#1"},
        HTTP_X_FORWARDED_FOR="pas-une-adresse",
    )
    assert response.status_code in (400, 403)


def test_the_number_of_trusted_proxies_comes_from_the_environment():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "1", "TRUSTED_PROXY_COUNT": "2"}
    env["DJANGO_SETTINGS_MODULE"] = "ent_portal.settings"
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "2", result.stderr
