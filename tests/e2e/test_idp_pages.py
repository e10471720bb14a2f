"""The provider's pages in a real browser: the charter at a service's door, the refusal, the
errors, the CAS sign-out and the « Mes applications » tiles hold together at 360, 768 and
1280 px and pass axe-core (no critical or serious violation)."""

import re
from urllib.parse import urlencode

import pytest

from tests.connected_services import CAS_SERVICE, authorize_url, pkce_pair
from tests.helpers import GOOD_PASSWORD, LAYOUT_PROBLEMS, WIDTHS, check_axe

pytestmark = pytest.mark.e2e


def _check(page, name, screenshot):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems = page.evaluate(LAYOUT_PROBLEMS)
        assert not problems, f"{name} at {width} px:\n" + "\n".join(problems[:10])
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, f"idp-{name}")
    check_axe(page, name)


def test_the_providers_pages_hold_together_and_pass_axe(
    browser,
    live_server,
    pupil,
    charter,
    oidc_service,  # noqa: F811
    cas_service,  # noqa: F811
    screenshot,
):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    url = live_server.url
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    page.goto(url + "/educonnect/login/?" + urlencode({"next": door}))
    assert page.locator("#service-asking").is_visible()
    _check(page, "connexion-demandee-par-un-service", screenshot)
    page.get_by_label(re.compile(r"^Identifiant")).fill(pupil.username)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    _verifier, challenge = pkce_pair()
    page.goto(url + authorize_url(oidc_service, challenge=challenge))
    _check(page, "charte-a-la-porte", screenshot)
    page.get_by_role("button", name="Je refuse").click()
    _check(page, "charte-refusee", screenshot)

    page.goto(url + "/cas/login?service=https%3A%2F%2Fevil.test%2F")
    _check(page, "cas-service-inconnu", screenshot)
    page.goto(url + authorize_url(oidc_service, redirect_uri="https://evil.test/"))
    _check(page, "oidc-adresse-de-retour-inconnue", screenshot)
    page.goto(url + "/cas/logout?service=" + CAS_SERVICE)
    _check(page, "cas-deconnexion", screenshot)

    page.goto(url + "/ent/")
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()
    assert page.get_by_role("heading", name="Mes applications").is_visible()
    _check(page, "mes-applications", screenshot)

    page.goto(url + "/cas/logout?service=" + CAS_SERVICE)
    page.get_by_role("button", name="Se déconnecter").last.click()
    _check(page, "deconnecte", screenshot)
    context.close()
