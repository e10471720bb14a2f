"""Every page of the journey, of Mon compte, of help and of PRONOTE, at 360, 768 and 1280 px:
nothing wider than the screen, no box over the footer or over another box, no text cut off.
Screenshots of each page at each width are kept in test-results/layout/."""

import re

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.helpers import LAYOUT_PROBLEMS, WIDTHS, fill_birth_date

pytestmark = pytest.mark.e2e


@pytest.fixture
def check_layout():
    folder = SCREENSHOTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    seen = []

    def check(page, name):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            problems = page.evaluate(LAYOUT_PROBLEMS)
            assert not problems, f"{name} at {width} px:\n" + "\n".join(problems[:10])
        page.set_viewport_size({"width": 1280, "height": 800})
        seen.append(name)

    check.seen = seen
    return check


def test_every_page_holds_together_on_a_phone_a_tablet_and_a_desktop(
    browser, live_server, demo_accounts, charter, check_layout
):
    account = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    page = browser.new_context(locale="fr-FR").new_page()
    url = live_server.url

    page.goto(url)
    check_layout(page, "0-accueil")
    page.goto(url + "/connexion/")
    check_layout(page, "1-profil")
    page.goto(url + "/educonnect/login/")
    page.get_by_role("button", name="Se connecter").click()
    check_layout(page, "1b-connexion-erreur")
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()
    check_layout(page, "2-creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()
    check_layout(page, "3-activation")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("soleil")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("autre")
    page.get_by_label("Votre adresse mail si vous en avez une").fill("pas-une-adresse")
    page.get_by_role("button", name="Activer votre compte").click()
    check_layout(page, "3-activation-erreurs")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    page.get_by_label("Votre adresse mail si vous en avez une").fill("")
    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé")).to_be_visible()
    check_layout(page, "4-compte-cree")
    for path, name in [
        ("/services/", "5-services"),
        ("/services/contact/", "5-contact"),
        ("/services/orientation/", "5-non-simule"),
        ("/educonnect/mon-compte/", "mon-compte"),
        ("/educonnect/email/", "mon-compte-adresse-mail"),
        ("/educonnect/password/change/", "mon-compte-mot-de-passe"),
        ("/educonnect/sessions/", "mon-compte-sessions"),
        ("/educonnect/identifiant-perdu/", "identifiant-perdu"),
        ("/educonnect/aide/besoin-d-aide/", "aide-besoin-d-aide"),
        ("/educonnect/aide/je-n-ai-pas-de-compte/", "aide-pas-de-compte"),
        ("/educonnect/aide/mentions-legales/", "aide-mentions-legales"),
        ("/educonnect/aide/accessibilite/", "aide-accessibilite"),
        ("/ent/", "6-charte"),
    ]:
        page.goto(url + path)
        check_layout(page, name)
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()
    check_layout(page, "7-ent")
    page.locator("summary", has_text="Scolarité").click()
    check_layout(page, "7-ent-menu-ouvert")
    page.get_by_role("link", name="PRONOTE", exact=True).first.click()
    check_layout(page, "8-pronote-premiere-connexion")
    page.get_by_role("button", name="Accéder à mon espace").click()
    for path, name in [
        ("/pronote/emploi-du-temps/", "8a-emploi-du-temps"),
        ("/pronote/notes/", "8b-notes"),
        ("/pronote/travail-a-faire/", "8c-travail-a-faire"),
        ("/pronote/vie-scolaire/", "8d-vie-scolaire"),
    ]:
        page.goto(url + path)
        expect(page.locator("h1")).to_be_visible()
        check_layout(page, name)
    assert len(check_layout.seen) == 27


def test_every_mark_of_pronote_notes_is_readable_on_a_phone(browser, live_server, demo_accounts):
    """At 360 px each evaluation shows its mark, coefficient and class average in full."""
    from pronote.models import Mark

    account = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    page = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR").new_page()
    from accounts.actions import do_activate_account
    from accounts.models import User
    from charter.actions import do_accept_charter
    from charter.models import Charter

    user = do_activate_account(
        User.objects.get(username=account["identifier"]), new_password="Soleil#Vert22"
    )
    do_accept_charter(user, Charter.objects.current())
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(account["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill("Soleil#Vert22")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + "/pronote/")
    page.get_by_role("button", name="Accéder à mon espace").click()
    page.goto(live_server.url + "/pronote/notes/")
    marks = Mark.objects.filter(pupil=user).exclude(value=None)
    assert marks.exists()
    cells = page.locator(".grades-table td")
    assert cells.count() >= 5 * marks.count()
    for i in range(cells.count()):
        cell = cells.nth(i)
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, cell.inner_text()
        assert cell.evaluate("c => c.scrollWidth <= c.clientWidth + 1"), cell.inner_text()
    for mark in marks:
        with translation.override("fr"):
            text = f"{floatformat(mark.value, '-2')}/{mark.evaluation.out_of}"
        expect(page.locator(".grades-table td", has_text=text).first).to_be_visible()
