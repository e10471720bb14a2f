"""A real school service (examples/school_service, its own Django project in its own process)
signs in through the portal (live_server) in a real browser: OpenID Connect with allauth's
client, CAS with django-cas-ng; SSO from one to the other; the portal's sign-out ends both."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from idp.management.commands.register_example_service import CLIENT_ID, register_example
from tests.connected_services import run_single_sign_out
from tests.helpers import GUARD_SECONDS, fill_birth_date, free_port, wait_until_serving

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "school_service"
SECRET = "secret-du-service-d-exemple-pour-les-tests"
NEW_PASSWORD = "Soleil#Vert22"


class Service:
    def __init__(self, url, process):
        self.url = url
        self.process = process


def _start(tmp_path, portal_url, name, port, **env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    environ.update(
        EXAMPLE_PORTAL_URL=portal_url,
        EXAMPLE_NAME=name,
        EXAMPLE_DATABASE=str(tmp_path / f"example-{port}.sqlite3"),
        EXAMPLE_COOKIE_TAG=f"exemple{port}",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
        **env,
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "-v0"], cwd=EXAMPLE, env=environ, check=True, timeout=GUARD_SECONDS
    )
    log = open(tmp_path / f"example-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=EXAMPLE,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/", process)
    except AssertionError:
        process.kill()
        raise AssertionError((tmp_path / f"example-{port}.log").read_text()) from None
    return Service(url, process)


@pytest.fixture
def services(tmp_path, live_server, charter, establishment):
    """« Cahier de textes » (OpenID Connect) and « Médiathèque » (CAS), registered."""
    port_a, port_b = free_port(), free_port()
    started = []
    try:
        # Registered first (the URLs are known from the ports), then started.
        oidc, _ = register_example(f"http://127.0.0.1:{port_a}", SECRET, name="Cahier de textes")
        _, cas = register_example(
            f"http://127.0.0.1:{port_b}", SECRET, name="Médiathèque", client_id="mediatheque"
        )
        oidc.establishments.add(establishment)
        cas.establishments.add(establishment)
        a = _start_on(tmp_path, live_server.url, "Cahier de textes", port_a, oidc=True)
        started.append(a)
        b = _start_on(tmp_path, live_server.url, "Médiathèque", port_b, cas=True)
        started.append(b)
        yield a, b
    finally:
        for service in started:
            service.process.terminate()
            service.process.wait(timeout=GUARD_SECONDS)


def _start_on(tmp_path, portal_url, name, port, *, oidc=False, cas=False):
    env = {}
    if oidc:
        env.update(EXAMPLE_OIDC_CLIENT_ID=CLIENT_ID, EXAMPLE_OIDC_CLIENT_SECRET=SECRET)
    if cas:
        env.update(EXAMPLE_CAS="1")
    return _start(tmp_path, portal_url, name, port, **env)


@pytest.fixture
def page(browser, services):
    """A fresh browser profile, closed at the end (its connections with it, while the portal
    still runs)."""
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def _sign_in_with_the_letter(page, issued):
    expect(page.get_by_text("J'utilise mes identifiants EduConnect")).to_be_visible()
    page.get_by_label(re.compile(r"^Identifiant")).fill(issued.identifier)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(issued.password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(NEW_PASSWORD)
    fill_birth_date(page, "2012-03-14")
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    page.get_by_role("link", name="Continuer").click()


def _accept_the_charter(page, service_name):
    expect(page.locator("#service-asks")).to_contain_text(service_name)
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()


def _claim(page, name):
    return page.locator(f'[data-claim="{name}"]')


def test_oidc_from_the_service_through_activation_and_charter_and_back(
    page, services, issued, screenshot
):
    """Provisional letter → activation → charter naming the service → the service shows the
    claims."""
    oidc_service, _cas = services
    page.goto(oidc_service.url)
    page.get_by_role("link", name="Se connecter avec Mon ENT (OpenID Connect)").click()
    _sign_in_with_the_letter(page, issued)
    screenshot(page, "idp-oidc-charte")
    _accept_the_charter(page, "Cahier de textes")
    expect(page.locator("#status")).to_contain_text("Connecté par OpenID Connect")
    screenshot(page, "idp-oidc-service")
    expect(_claim(page, "preferred_username")).to_have_text(issued.identifier)
    expect(_claim(page, "given_name")).to_have_text("Théo")
    expect(_claim(page, "profile")).to_have_text("élève")
    expect(_claim(page, "etablissement_nom")).to_have_text("Collège Alfred Bruzet")
    expect(_claim(page, "classe")).to_have_text("4e B")


def test_cas_from_the_service_through_activation_and_charter_and_back(
    page, services, issued, screenshot
):
    """The same journey through CAS 3.0 (django-cas-ng): attributes from p3/serviceValidate."""
    _oidc, cas_service = services
    page.goto(cas_service.url)
    page.get_by_role("link", name="Se connecter avec Mon ENT (CAS)").click()
    _sign_in_with_the_letter(page, issued)
    _accept_the_charter(page, "Médiathèque")
    expect(page.locator("#status")).to_contain_text("Connecté par CAS")
    screenshot(page, "idp-cas-service")
    expect(_claim(page, "user")).to_have_text(issued.identifier)
    expect(_claim(page, "etablissement_nom")).to_have_text("Collège Alfred Bruzet")


def test_a_second_service_without_password_and_the_portals_sign_out_ends_both(
    page, live_server, services, issued
):
    """Signed in to the first service, the second needs no password (SSO); signing out of
    the portal signs out of both (back-channel logout, CAS single sign-out)."""
    oidc_service, cas_service = services
    page.goto(oidc_service.url)
    page.get_by_role("link", name="Se connecter avec Mon ENT (OpenID Connect)").click()
    _sign_in_with_the_letter(page, issued)
    _accept_the_charter(page, "Cahier de textes")
    expect(page.locator("#status")).to_contain_text("Connecté par OpenID Connect")

    page.goto(cas_service.url)
    page.get_by_role("link", name="Se connecter avec Mon ENT (CAS)").click()
    expect(page.locator("#status")).to_contain_text("Connecté par CAS")  # no password asked

    page.goto(f"{live_server.url}/services/")
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_text("J'utilise mes identifiants EduConnect")).to_be_visible()
    assert run_single_sign_out() == 1  # the background worker's job: both services at once
    page.goto(oidc_service.url)
    expect(page.locator("#status")).to_have_text("Non connecté.")
    page.goto(cas_service.url)
    expect(page.locator("#status")).to_have_text("Non connecté.")


def test_prompt_login_asks_the_password_again_and_reaches_the_service(
    page, live_server, services, issued
):
    """A service that asks prompt=login while the portal session is open: the password again,
    then the service (not a dead end on « Confirmer l'accès »: the CSP's form-action)."""
    from urllib.parse import urlencode

    oidc_service, _cas = services
    page.goto(oidc_service.url)
    page.get_by_role("link", name="Se connecter avec Mon ENT (OpenID Connect)").click()
    _sign_in_with_the_letter(page, issued)
    _accept_the_charter(page, "Cahier de textes")
    expect(page.locator("#status")).to_contain_text("Connecté par OpenID Connect")

    callback = f"{oidc_service.url}/accounts/oidc/ent/login/callback/"
    query = urlencode(
        {
            "client_id": CLIENT_ID,
            "response_type": "code",
            "redirect_uri": callback,
            "scope": "openid profile",
            "state": "etat-prompt-login",
            "prompt": "login",
        }
    )
    page.goto(f"{live_server.url}/identity/o/authorize?{query}")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(re.escape(callback) + r"\?.*code="))
