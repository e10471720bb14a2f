"""Steps 0 → 8 of the seed tutorial in a real browser, with a demo account and only the labels a
pupil sees; each page is screenshotted (test-results/) and audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import check_axe, fill_birth_date

pytestmark = [pytest.mark.e2e, pytest.mark.argon2]  # the sign-in journey at OWASP's cost


@pytest.fixture
def audit(screenshot):
    def check(page, name):
        screenshot(page, name)
        check_axe(page, name)

    return check


def test_from_the_landing_page_to_the_pronote_timetable(
    browser, live_server, demo_accounts, charter, audit
):
    account = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    blocked = []  # anything the Content-Security-Policy refused (an inline script, say)
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # 0. Landing.
    page.goto(live_server.url)
    audit(page, "journey-0-accueil")
    page.get_by_role("link", name="Se connecter").first.click()

    # 1. Profile choice, then EduConnect.
    expect(
        page.get_by_text("Vous souhaitez vous connecter à votre ENT en tant que :")
    ).to_be_visible()
    audit(page, "journey-1-profil")
    page.locator("label", has_text="de l'académie de Montpellier avec EduConnect").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("J'utilise mes identifiants EduConnect")).to_be_visible()
    audit(page, "journey-1b-educonnect")
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()

    # 2–4. Activation.
    audit(page, "journey-2-creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()
    audit(page, "journey-3-activation")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    audit(page, "journey-4-compte-cree")
    page.get_by_role("link", name="Continuer").click()

    # 5. Services page.
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()
    expect(page.get_by_text("Message de l'établissement")).to_be_visible()
    audit(page, "journey-5-services")

    # PRONOTE is out of reach before the charter: straight to it, with the explanation.
    page.goto(live_server.url + "/pronote/")
    expect(
        page.get_by_role("heading", level=1, name="Charte d'utilisation de l'ENT")
    ).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="ENVIRONNEMENT NUMERIQUE DE TRAVAIL").first.click()

    # 6. Charter: the box can be ticked once the text is scrolled to its end.
    expect(
        page.get_by_text("Faites descendre l'ascenseur pour obtenir le bas du texte.")
    ).to_be_visible()
    tick = page.get_by_label("J'ai lu et j'accepte les conditions ci-dessus")
    expect(tick).to_be_disabled()
    audit(page, "journey-6-charte")
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    expect(tick).to_be_enabled()
    page.locator("label[for=id_accept]").click()
    expect(tick).to_be_checked()
    page.get_by_role("button", name="Valider").click()

    # 7. ENT home, then Scolarité → PRONOTE from the menu.
    expect(
        page.get_by_role("heading", name="Bienvenue sur l'Espace Numérique de Travail")
    ).to_be_visible()
    expect(page.locator("#current-establishment")).to_have_text(account["establishment"])
    audit(page, "journey-7-ent")
    page.locator("summary", has_text="Scolarité").click()
    page.get_by_role("navigation", name="Menu de l’ENT").get_by_role("link", name="PRONOTE").click()

    # 8. PRONOTE: first connection, then the four sections.
    expect(page.get_by_role("heading", name="Bienvenue dans PRONOTE")).to_be_visible()
    audit(page, "journey-8-pronote-premiere-connexion")
    page.get_by_role("button", name="Accéder à mon espace").click()
    expect(page.get_by_role("heading", name="Emploi du temps", exact=True)).to_be_visible()
    expect(page.get_by_text("Mathématiques").first).to_be_visible()
    audit(page, "journey-8a-emploi-du-temps")
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_text("Semaine du")).to_be_visible()
    for link, heading, name in [
        ("Notes", "Notes", "journey-8b-notes"),
        ("Travail à faire", "Travail à faire", "journey-8c-travail-a-faire"),
        ("Vie scolaire", "Vie scolaire", "journey-8d-vie-scolaire"),
    ]:
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        audit(page, name)
    assert blocked == []
    context.close()
