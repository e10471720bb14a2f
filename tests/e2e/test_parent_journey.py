"""A demo parent in a phone-sized browser: registers by SMS reading the code on the demo
phone, confirms the children by their birth dates, accepts the charter and switches between
the children in PRONOTE's « Espace Parents ». Each page is audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from schools.models import Role
from tests.helpers import LAYOUT_PROBLEMS, check_axe, confirm_in_demo_mailbox, fill_birth_date

pytestmark = pytest.mark.e2e


@pytest.fixture
def audit(screenshot):
    def check(page, name):
        screenshot(page, name)
        check_axe(page, name)
        layout = page.evaluate(LAYOUT_PROBLEMS)  # at 360 px: nothing wider, nothing cut off
        assert not layout, f"{name}: " + "\n".join(layout[:10])

    return check


def test_a_demo_parent_registers_by_sms_and_switches_children_in_pronote(
    browser, live_server, demo_accounts, charter, audit, settings
):
    settings.SMS_BACKEND = "families.sms.DemoPhoneBackend"
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()

    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_role("link", name="Je n'ai pas de compte").first.click()
    page.get_by_role("link", name="Créer mon compte de responsable par SMS").click()
    audit(page, "parent-1-inscription")
    page.get_by_label("Nom", exact=True).fill("Counen")
    page.get_by_label("Prénom", exact=True).fill("Sandrine")
    page.get_by_label(re.compile("^Téléphone portable")).fill("06 39 98 00 01")
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    expect(page.get_by_role("heading", name="Saisir le code reçu par SMS")).to_be_visible()
    audit(page, "parent-2-code")

    # The demo phone, in another tab.
    phone = context.new_page()
    phone.goto(live_server.url + "/telephone-demo/")
    phone.get_by_label(re.compile("^Numéro du téléphone de démonstration")).fill("0639980001")
    phone.get_by_role("button", name="Voir les SMS reçus").click()
    # The SMS leaves once the portal's answer is complete: ask again until it is there.
    for _look in range(20):
        if phone.locator("#demo-inbox li").count():
            break
        phone.get_by_role("button", name="Voir les SMS reçus").click()
    audit(phone, "parent-2b-telephone-demo")
    code = re.search(r"\b(\d{6})\b", phone.locator("#demo-inbox li").first.inner_text()).group(1)

    page.get_by_label(re.compile("^Code reçu par SMS")).fill(code)
    page.get_by_role("button", name="Valider le code").click()

    # Each child by their birth date (Théo, Tom, Lina), named only once confirmed.
    children = User.objects.filter(last_name="Counen", role=Role.PUPIL).order_by("first_name")
    for _child, child in enumerate(children):
        expect(page.get_by_role("heading", name="Confirmer vos enfants")).to_be_visible()
        expect(page.locator("#content")).not_to_contain_text(child.first_name)
        fill_birth_date(page, child.birth_date.isoformat())
        if _child == 0:
            audit(page, "parent-3-enfants")
        page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    audit(page, "parent-4-mot-de-passe")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    page.get_by_label(re.compile("^Votre adresse mail")).fill("sandrine@example.org")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé")).to_be_visible()
    audit(page, "parent-5-compte-cree")
    identifier = page.locator("#identifier").inner_text().strip()

    page.locator("#content").get_by_role("link", name="Se connecter").click()
    page.get_by_label(re.compile(r"^Identifiant")).fill(identifier)
    page.get_by_label(re.compile(r"^Mot de passe")).fill("Soleil#Vert22")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()
    page.get_by_role("link", name="ENVIRONNEMENT NUMERIQUE DE TRAVAIL").first.click()
    page.locator("#charter-text").evaluate("box => box.scrollTop = box.scrollHeight")
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_role("heading", name="Bienvenue sur l'Espace Numérique de Travail")
    ).to_be_visible()

    page.goto(live_server.url + "/pronote/")
    page.get_by_role("button", name="Accéder à mon espace").click()
    expect(page.get_by_text("Espace Parents")).to_be_visible()
    audit(page, "parent-6-espace-parents")
    page.get_by_label("Enfant affiché").select_option(label="Lina Counen")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#selected-child")).to_contain_text("Lina Counen")
    expect(page.locator("#selected-child")).to_contain_text("Cité scolaire Henri IV")
    page.get_by_role("link", name="Notes", exact=True).click()
    expect(page.locator("#selected-child")).to_contain_text("Lina Counen")
    audit(page, "parent-7-notes-de-lina")

    page.goto(live_server.url + "/educonnect/mon-compte/enfants/")
    expect(page.get_by_text("Tom Counen")).to_be_visible()
    audit(page, "parent-8-mes-enfants")
    context.close()


def test_a_demo_parent_activates_a_letter_confirms_the_address_and_groups_the_other(
    browser, live_server, demo_accounts, charter, audit, settings
):
    """Marc Counen: the collège's letter, the mandatory address (an invented one) confirmed by
    the link read on the demo mailbox, then the lycée's letter grouped in « Mes enfants »."""
    settings.EMAIL_BACKEND = "accounts.mail.DemoMailboxBackend"  # as `make run` has it
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    letters = [a for a in demo_accounts if a["role"] == "parent" and a["password"]]
    college = next(a for a in letters if len(a["children"]) == 2)
    lycee = next(a for a in letters if len(a["children"]) == 1)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()

    page.goto(live_server.url + "/educonnect/login/?profil=parent")
    audit(page, "parent-courrier-0-connexion")
    page.get_by_label(re.compile(r"^Identifiant")).fill(college["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(college["password"])
    page.get_by_role("button", name="Se connecter").click()
    audit(page, "parent-courrier-0b-creer-mon-compte")
    page.get_by_role("link", name="Créer mon compte").click()
    expect(page.get_by_text("Votre date de naissance")).to_have_count(0)
    audit(page, "parent-courrier-0c-activation")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Soleil#Vert22")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("Soleil#Vert22")
    page.get_by_label(re.compile("^Votre adresse mail")).fill("marc@exemple.test")
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse mail")).to_be_visible()
    audit(page, "parent-courrier-1-adresse-a-confirmer")

    with context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Ouvrir la Boîte mail de démonstration")).click()
    mailbox = opened.value
    expect(mailbox.get_by_role("heading", name="Mails reçus à marc@exemple.test")).to_be_visible()
    audit(mailbox, "parent-courrier-1b-boite-mail-demo")
    confirm_in_demo_mailbox(mailbox)
    # The pending sign-in goes on once the address is confirmed; else, sign in again.
    page.goto(live_server.url + "/educonnect/adresse-a-confirmer/")
    if page.get_by_label(re.compile(r"^Identifiant")).count():
        page.get_by_label(re.compile(r"^Identifiant")).fill(college["identifier"])
        page.get_by_label(re.compile(r"^Mot de passe")).fill("Soleil#Vert22")
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Scolarité services", exact=True)).to_be_visible()
    audit(page, "parent-courrier-1c-services")

    page.goto(live_server.url + "/educonnect/mon-compte/enfants/")
    page.get_by_label("Identifiant de l'autre courrier").fill(lycee["identifier"])
    page.get_by_label("Mot de passe provisoire de l'autre courrier").fill(lycee["password"])
    page.get_by_role("button", name="Ajouter les élèves de ce courrier").click()
    expect(page.get_by_text("Lina Counen")).to_be_visible()
    expect(page.get_by_text("Théo Counen")).to_be_visible()
    audit(page, "parent-courrier-2-enfants-regroupes")
    context.close()
