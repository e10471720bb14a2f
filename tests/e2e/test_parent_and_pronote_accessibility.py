"""What axe-core cannot see, on the parents' pages and in PRONOTE, as
tests/e2e/test_pupil_accessibility.py does for the pupil's journey (the same checks,
tests/helpers.py: ``check``): every control shows its keyboard focus, the focus ring and the
fields' borders contrast 3:1 or more, the page reflows at 320 px and with 200 % text on a
360 px phone; and axe finds nothing serious on any of these pages, error states included.
The registration by SMS (each step and each error), the parent whose account comes from a
letter (its activation and its error), « Mes enfants » (and a wrong letter), « Mon compte »,
and PRONOTE for a pupil and for a parent of two children (« Afficher »)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from schools.models import Role
from tests.helpers import (
    GOOD_PASSWORD,
    check,
    check_axe,
    check_forced_colours,
    confirm_in_demo_mailbox,
    fill_birth_date,
)

pytestmark = pytest.mark.e2e

PRONOTE_TABS = ["Emploi du temps", "Notes", "Travail à faire", "Vie scolaire"]


def audit(page, name, *, error_state=False):
    """Focus, borders and reflow (``check``), then axe on every page, not only the errors. An
    error state has its focus on the error summary (tests/e2e/test_error_focus.py)."""
    if error_state:
        expect(page.locator("#form-errors")).to_be_focused()
    check(page, name, error_state=error_state)
    if not error_state:
        check_axe(page, name)


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    return context, context.new_page()


def sign_in(page, url, identifier, password):
    page.goto(url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(identifier)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def accept_charter(page):
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()


def audit_pronote_tabs(page, who):
    for tab in PRONOTE_TABS:
        page.get_by_role("navigation", name="Rubriques de PRONOTE").get_by_role(
            "link", name=tab, exact=True
        ).click()
        expect(page.get_by_role("heading", level=1, name=tab, exact=True)).to_be_visible()
        audit(page, f"pronote-{who}-{tab}")


def test_the_registration_by_sms_and_its_errors(browser, live_server, demo_accounts, settings):
    settings.SMS_BACKEND = "families.sms.DemoPhoneBackend"
    context, page = new_page(browser)
    url = live_server.url

    page.goto(url + "/educonnect/inscription/")
    audit(page, "inscription")
    check_forced_colours(page, "inscription")
    page.get_by_label("Prénom", exact=True).fill("Sandrine")
    page.get_by_label(re.compile("^Téléphone portable")).fill("06 39")
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    errors = page.locator(".field-errors")
    expect(errors.get_by_text("Saisissez votre nom.")).to_be_visible()
    expect(errors.get_by_text("Saisissez un numéro de téléphone portable")).to_be_visible()
    audit(page, "inscription-erreur", error_state=True)
    page.get_by_label("Nom", exact=True).fill("Counen")
    page.get_by_label(re.compile("^Téléphone portable")).fill("06 39 98 00 01")
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    expect(page.get_by_role("heading", name="Saisir le code reçu par SMS")).to_be_visible()
    audit(page, "code")

    phone = context.new_page()
    phone.goto(url + "/telephone-demo/")
    audit(phone, "telephone-demo")
    phone.get_by_label(re.compile("^Numéro du téléphone de démonstration")).fill("06 39")
    phone.get_by_role("button", name="Voir les SMS reçus").click()
    expect(phone.locator(".field-errors")).to_be_visible()
    audit(phone, "telephone-demo-erreur", error_state=True)
    phone.get_by_label(re.compile("^Numéro du téléphone de démonstration")).fill("0639980001")
    phone.get_by_role("button", name="Voir les SMS reçus").click()
    # The SMS leaves once the portal's answer is complete: ask again until it is there.
    for _look in range(20):
        if phone.locator("#demo-inbox li").count():
            break
        phone.get_by_role("button", name="Voir les SMS reçus").click()
    audit(phone, "telephone-demo-sms")
    code = re.search(r"\b(\d{6})\b", phone.locator("#demo-inbox li").first.inner_text()).group(1)
    phone.close()

    wrong = code[:5] + str((int(code[5]) + 1) % 10)
    page.get_by_label(re.compile("^Code reçu par SMS")).fill(wrong)
    page.get_by_role("button", name="Valider le code").click()
    expect(page.locator(".field-errors")).to_be_visible()
    audit(page, "code-erreur", error_state=True)
    page.get_by_label(re.compile("^Code reçu par SMS")).fill(code)
    page.get_by_role("button", name="Valider le code").click()

    children = User.objects.filter(last_name="Counen", role=Role.PUPIL).order_by("first_name")
    for n, child in enumerate(children):
        expect(page.get_by_role("heading", name="Confirmer vos enfants")).to_be_visible()
        if n == 0:
            audit(page, "enfants")
            fill_birth_date(page, "2001-01-01")
            page.get_by_role("button", name="Confirmer").click()
            expect(page.locator("#birth-date-errors")).to_be_visible()
            audit(page, "enfants-erreur", error_state=True)
        fill_birth_date(page, child.birth_date.isoformat())
        page.get_by_role("button", name="Confirmer").click()
        if n == 0:
            expect(page.locator("#confirmed-children")).to_be_visible()
            audit(page, "enfants-un-confirme")

    expect(page.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    audit(page, "mot-de-passe")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("soleil")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("soleil")
    page.get_by_label(re.compile("^Votre adresse mail")).fill("sandrine@example.org")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#password1-errors")).to_be_visible()
    audit(page, "mot-de-passe-trop-faible", error_state=True)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD + "x")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#password2-errors")).to_contain_text("ne sont pas identiques")
    audit(page, "mot-de-passe-different", error_state=True)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé")).to_be_visible()
    audit(page, "compte-cree")
    context.close()


def test_the_parent_of_a_letter_mes_enfants_and_pronote_for_two_children(
    browser, live_server, demo_accounts, settings
):
    """Marc Counen: the collège's letter (Théo and Tom), its activation, PRONOTE for each
    child, then « Mes enfants », where the lycée's letter adds Lina."""
    settings.EMAIL_BACKEND = "accounts.mail.DemoMailboxBackend"  # as `make run` has it
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    letters = [a for a in demo_accounts if a["role"] == "parent" and a["password"]]
    college = next(a for a in letters if len(a["children"]) == 2)
    lycee = next(a for a in letters if len(a["children"]) == 1)
    context, page = new_page(browser)
    url = live_server.url

    page.goto(url + "/educonnect/login/?profil=parent")
    audit(page, "connexion-responsable")
    page.get_by_label(re.compile(r"^Identifiant")).fill(college["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#login-errors")).to_be_visible()
    audit(page, "connexion-responsable-erreur", error_state=True)
    sign_in(page, url, college["identifier"], college["password"])
    expect(page.get_by_text("Étape 2 sur 4")).to_be_visible()
    audit(page, "responsable-creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()
    audit(page, "responsable-activation")
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD + "x")
    page.get_by_label(re.compile("^Votre adresse mail")).fill("marc@")
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.locator("#form-errors")).to_be_visible()
    audit(page, "responsable-activation-erreur", error_state=True)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    page.get_by_label(re.compile("^Votre adresse mail")).fill("marc@exemple.test")
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse mail")).to_be_visible()
    audit(page, "responsable-adresse-a-confirmer")

    with context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Ouvrir la Boîte mail de démonstration")).click()
    mailbox = opened.value
    confirm_in_demo_mailbox(mailbox)
    page.goto(url + "/educonnect/adresse-a-confirmer/")
    if page.get_by_label(re.compile(r"^Identifiant")).count():
        sign_in(page, url, college["identifier"], GOOD_PASSWORD)
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()
    page.goto(url + "/educonnect/mon-compte/")
    audit(page, "responsable-mon-compte")

    page.goto(url + "/pronote/")
    accept_charter(page)
    expect(page.get_by_role("heading", name="Bienvenue dans PRONOTE")).to_be_visible()
    audit(page, "pronote-responsable-premiere-visite")
    page.get_by_role("button", name="Accéder à mon espace").click()
    expect(page.get_by_text("Espace Parents")).to_be_visible()
    first = page.locator("#selected-child strong").inner_text()
    audit_pronote_tabs(page, "responsable-" + first)
    check_forced_colours(page, "pronote-responsable")  # the switcher, the tabs
    other = page.locator("#id_enfant option:not([selected])").inner_text()
    page.get_by_label("Enfant affiché").select_option(label=other)
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#selected-child")).to_contain_text(other)
    audit_pronote_tabs(page, "responsable-" + other)

    page.goto(url + "/educonnect/mon-compte/enfants/")
    audit(page, "mes-enfants")
    page.get_by_label("Identifiant de l'autre courrier").fill(lycee["identifier"])
    page.get_by_label("Mot de passe provisoire de l'autre courrier").fill("pas-le-bon")
    page.get_by_role("button", name="Ajouter les élèves de ce courrier").click()
    expect(page.locator("#content .alert-danger, #content .field-errors").first).to_be_visible()
    audit(page, "mes-enfants-erreur", error_state=True)
    page.get_by_label("Identifiant de l'autre courrier").fill(lycee["identifier"])
    page.get_by_label("Mot de passe provisoire de l'autre courrier").fill(lycee["password"])
    page.get_by_role("button", name="Ajouter les élèves de ce courrier").click()
    expect(page.get_by_text("Lina Counen")).to_be_visible()
    audit(page, "mes-enfants-regroupes")
    page.get_by_role("link", name="Je ne suis pas le représentant légal de cet élève").first.click()
    audit(page, "mes-enfants-signaler")
    context.close()


def test_pronote_for_a_pupil(browser, live_server, demo_accounts):
    account = next(a for a in demo_accounts if a["role"] == "eleve" and a["password"])
    context, page = new_page(browser)
    url = live_server.url

    sign_in(page, url, account["identifier"], account["password"])
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    fill_birth_date(page, account["birth_date"])
    page.get_by_role("button", name="Activer votre compte").click()
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()

    page.goto(url + "/pronote/")
    accept_charter(page)
    expect(page.get_by_role("heading", name="Bienvenue dans PRONOTE")).to_be_visible()
    audit(page, "pronote-eleve-premiere-visite")
    page.get_by_role("button", name="Accéder à mon espace").click()
    expect(page.get_by_text("Espace Élèves")).to_be_visible()
    audit_pronote_tabs(page, "eleve")
    page.get_by_role("link", name="Emploi du temps", exact=True).click()
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("link", name="Revenir à la semaine en cours")).to_be_visible()
    audit(page, "pronote-eleve-semaine-suivante")
    check_forced_colours(page, "pronote-eleve-emploi-du-temps")
    context.close()
