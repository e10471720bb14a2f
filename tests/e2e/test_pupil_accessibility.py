"""What axe-core cannot see, on the pupil's journey and its error states: every control shows
its keyboard focus (the pixels around it change, also in Windows contrast themes), the focus
ring and the fields' borders contrast 3:1 or more with what is behind them, the error state
moves the focus to its summary and ties each error to its box, the page reflows at 320 px and
with 200 % text on a 360 px phone, and axe finds nothing serious in the error states."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import check, check_forced_colours, fill_birth_date

pytestmark = pytest.mark.e2e


def test_every_control_of_the_pupils_journey_shows_its_focus_and_reflows(
    browser, live_server, demo_accounts, charter
):
    account = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    url = live_server.url

    page.goto(url + "/educonnect/login/")
    check(page, "connexion")
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#login-errors")).to_be_visible()
    check(page, "connexion-erreur", error_state=True)

    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    check(page, "creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()
    check(page, "activation")

    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    fill_birth_date(page, "2001-01-01")
    page.get_by_role("button", name="Activer votre compte").click()
    # The error state: the focus on the summary, whose links lead to the fields.
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused(timeout=10_000)
    expect(summary.get_by_role("link")).to_have_count(1)
    day = page.get_by_label("Jour", exact=True)
    described = day.evaluate(
        "el => (el.getAttribute('aria-describedby') || '').split(' ')"
        ".map(id => document.getElementById(id)).filter(Boolean).map(e => e.innerText).join(' ')"
    )
    assert "ne correspond pas" in described and "Encore" in described
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_value("Soleil#Vert22")
    check(page, "activation-erreur", error_state=True)

    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    check(page, "compte-cree")
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()
    check(page, "services")

    page.goto(url + "/charte/")
    tick = page.get_by_label("J'ai lu et j'accepte les conditions ci-dessus")
    expect(tick).to_be_disabled()
    reason = tick.evaluate(
        "el => (el.getAttribute('aria-describedby') || '').split(' ')"
        ".map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent).join(' ')"
    )
    assert "devient cochable" in reason
    check(page, "charte")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#accept-errors")).to_contain_text("faites défiler le texte de la charte")
    check(page, "charte-erreur", error_state=True)
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_role("heading", name="Bienvenue sur l'Espace Numérique de Travail")
    ).to_be_visible()
    check(page, "ent")
    page.goto(url + "/educonnect/mon-compte/")
    check(page, "mon-compte")
    context.close()


def test_buttons_and_links_show_their_focus_in_a_windows_contrast_theme(browser, live_server, db):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/educonnect/login/")
    check_forced_colours(page, "connexion")
    context.close()


def test_on_a_phone_the_identifier_is_on_the_first_screen(browser, live_server, db):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + "/educonnect/login/")
    box = page.get_by_label(re.compile(r"^Identifiant")).bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 640, box
    context.close()
