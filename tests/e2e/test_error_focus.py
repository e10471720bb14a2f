"""A failed submit, as a keyboard and screen-reader user meets it, on every kind of form of the
journey: the focus lands on the error summary (a screen reader reads it), the next Tab goes on
into the form, a line's link takes the focus to its box, and correcting a box takes its error
away and keeps the summary's count true. Axe finds nothing serious in these error states."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import SchoolClassFactory, UserFactory
from tests.helpers import GOOD_PASSWORD

pytestmark = pytest.mark.e2e


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def no_serious_axe_violation(page, name):
    violations = [
        f"{v['id']} ({v['impact']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not violations, f"{name}: {violations}"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR")
    yield context.new_page()
    context.close()


def test_a_failed_sign_in_takes_the_focus_to_what_went_wrong(page, live_server, demo_accounts):
    pupil = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(pupil["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le formulaire contient une erreur")
    identifier = page.get_by_label(re.compile(r"^Identifiant"))
    expect(identifier).to_have_attribute("aria-invalid", "true")
    no_serious_axe_violation(page, "connexion-erreur")

    page.keyboard.press("Tab")  # the summary's link, then the form
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(identifier).to_be_focused()
    page.keyboard.type("x")
    expect(summary).to_have_count(0)  # its one error was about the old value
    expect(identifier).not_to_have_attribute("aria-invalid", "true")


def test_the_summary_counts_only_the_errors_left(page, live_server, db):
    page.goto(live_server.url + "/educonnect/inscription/")
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(3)
    no_serious_axe_violation(page, "inscription-erreur")

    page.get_by_label(re.compile(r"^Nom")).fill("Counen")
    expect(summary.locator("li")).to_have_count(2)
    expect(summary).to_contain_text("Le formulaire contient 2 erreurs")
    page.get_by_label(re.compile(r"^Prénom")).fill("Sandrine")
    expect(summary).to_contain_text("Le formulaire contient une erreur")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_mobile")


def test_the_charter_s_error_leads_to_the_text_while_it_is_unread(
    page, live_server, transactional_db, charter
):
    pupil = UserFactory(activated=True, school_class=SchoolClassFactory())
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(pupil.username)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + "/charte/")
    page.get_by_role("button", name="Valider").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    no_serious_axe_violation(page, "charte-erreur")
    expect(page.get_by_label("J'ai lu et j'accepte les conditions ci-dessus")).to_be_disabled()
    summary.get_by_role("link").click()
    assert focused_id(page) == "charter-text"  # what must be done first: read to the end
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    tick = page.get_by_label("J'ai lu et j'accepte les conditions ci-dessus")
    expect(tick).to_be_enabled()
    summary.get_by_role("link").click()
    expect(tick).to_be_focused()
