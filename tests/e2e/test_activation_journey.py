"""Steps 1b → 4 of the seed tutorial, in a real browser, with a demo account and only the
labels a pupil sees on screen."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.helpers import fill_birth_date

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


def first_pupil(accounts):
    return next(a for a in accounts if a["role"] == "eleve" and a["password"])


def sign_in(page, url, account):
    page.goto(url)
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()


def test_a_pupil_activates_the_account_on_a_phone(browser, live_server, demo_accounts, screenshot):
    account = first_pupil(demo_accounts)
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()

    page.goto(live_server.url)
    expect(page.get_by_text("Simulation de formation.")).to_be_visible()
    page.get_by_role("link", name="Se connecter").first.click()
    page.locator("label", has_text="de l'académie de Montpellier avec EduConnect").click()
    page.get_by_role("button", name="Valider").click()
    screenshot(page, "1b-connexion")
    sign_in(page, page.url, account)

    expect(page.get_by_text("Bonjour")).to_be_visible()
    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    screenshot(page, "2-creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()

    # Step 3, first with a weak password: the rule is shown live, then refused by the server.
    new_password = page.get_by_label("Nouveau mot de passe", exact=True)
    valid = re.compile(r"\bis-valid\b")
    new_password.fill("soleil")
    expect(page.locator("[data-rule=uppercase]")).not_to_have_class(valid)
    new_password.fill("Soleil#Vert22")
    for rule in ["length", "uppercase", "special"]:
        expect(page.locator(f"[data-rule={rule}]")).to_have_class(valid)
    new_password.fill("soleilvert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("soleilvert23")
    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    error = page.get_by_text("Le mot de passe doit contenir au moins 1 majuscule.", exact=True)
    expect(error).to_be_visible()
    screenshot(page, "3-mot-de-passe-refuse")
    # Fixing the field takes its error away at once: no stale error beside green rules.
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    expect(error).to_have_count(0)
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    fill_birth_date(page, account["birth_date"])
    page.get_by_label("Votre adresse mail si vous en avez une").fill("eleve@example.org")
    page.get_by_role("button", name="Activer votre compte").click()

    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    expect(page.locator("#identifier")).to_have_text(account["identifier"])
    screenshot(page, "4-compte-cree")
    # Nothing overflows a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    user = User.objects.get(username=account["identifier"])
    assert not user.is_provisional
    assert user.check_password("Soleil#Vert22")
    context.close()


def test_the_journey_works_without_javascript(browser, live_server, demo_accounts):
    account = first_pupil(demo_accounts)
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server.url + "/educonnect/login/", account)
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    context.close()


def test_the_sign_in_works_with_the_keyboard_alone(browser, live_server, demo_accounts):
    account = first_pupil(demo_accounts)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/educonnect/login/")
    page.locator("#id_login").focus()
    page.keyboard.type(account["identifier"])
    page.keyboard.press("Tab")
    page.keyboard.type(account["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Créer mon compte")).to_be_visible()
    page.get_by_role("link", name="Créer mon compte").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Activer votre compte", exact=True)).to_be_visible()
    context.close()
