"""A lesson as the teacher runs it alone: the demo teacher signs in on the portal, creates a
practice class of 30 invented pupils, prints its letters (the job's page, then the PDF, 4 per
page, with the room's address and each invented birth date), watches the séance while pupils
activate in other browsers, unlocks one in one click, resets for the next group — and the same
30 printed letters work again."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from schools.models import SchoolClass
from tests.helpers import GOOD_PASSWORD, activate, sign_in
from tests.helpers import fill_birth_date as fill_iso_birth_date

pytestmark = pytest.mark.e2e

ROOM = "http://10.20.30.40:8080"  # the address pupils type, as `make classroom` sets it

LETTER = re.compile(
    r"Identifiant\s+(\S+)\s+Mot de passe provisoire\s+(\S+).*?"
    r"inventée pour l'entraînement\)\s*:\s*(\d\d/\d\d/\d{4})",
    re.S,
)


def letters_of(pdf_path):
    """{identifier: (password, birth date)} as printed on the letters."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert ROOM in text, "the letters carry the room's address"
    return {m[0]: (m[1], m[2]) for m in LETTER.findall(text)}, len(reader.pages)


def iso(birth):
    day, month, year = birth.split("/")
    return f"{year}-{month}-{day}"


def pupil_activates_in_a_browser(browser, url, identifier, password, birth):
    """A pupil on a phone: the letter's identifier and password, « Créer mon compte », a new
    password, the birth date read on the letter."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(identifier)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Créer mon compte").click()
    page.get_by_label("Nouveau mot de passe", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe").fill(GOOD_PASSWORD)
    fill_iso_birth_date(page, iso(birth))
    page.get_by_role("button", name="Activer votre compte").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", exact=True)).to_be_visible()
    context.close()


def pupil_goes_through(identifier, password, birth):
    """Sign-in with the letter, activation, charter, PRONOTE, as a pupil's browser does."""
    pupil = Client()
    assert sign_in(pupil, identifier, password)["Location"] == reverse("accounts:activation_start")
    assert activate(pupil, birth_date=birth)["Location"] == reverse("accounts:activated")
    pupil.post(reverse("charter:accept"), {"accept": "on", "next": "/ent/"})
    pupil.get(reverse("pronote:home"))
    pupil.post(reverse("pronote:home"))


def summary(page):
    return page.locator("#classroom-summary")


def test_the_demo_teacher_runs_a_lesson_and_the_same_letters_serve_the_next_group(
    browser, live_server, demo_accounts, immediate_tasks, settings, screenshot
):
    settings.PUBLIC_URL = ROOM
    teacher = next(a for a in demo_accounts if a["role"] == "enseignant")
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()

    # The teacher signs in like everyone and lands on « Mes classes ».
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(teacher["identifier"])
    page.get_by_label(re.compile(r"^Mot de passe")).fill(teacher["password"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mes classes")).to_be_visible()
    expect(page.get_by_text(ROOM).first).to_be_visible()

    # A practice class of 30.
    page.get_by_role("link", name="Créer une classe d'entraînement").click()
    page.get_by_label("Nombre d'élèves").fill("30")
    page.get_by_role("button", name="Créer la classe").click()
    expect(page.locator(".seance-card")).to_have_count(30)
    school_class = SchoolClass.objects.filter(practice=True).latest("pk")
    expect(page.get_by_role("heading", name=re.compile(school_class.division))).to_be_visible()
    seance_url = page.url

    # Its letters: a page that says what is prepared, then the PDF, 4 per A4 page.
    page.get_by_role("link", name="Imprimer les courriers").click()
    page.get_by_label("4 par page").check()
    page.get_by_role("button", name=re.compile("Oui, imprimer les 30 courriers")).click()
    expect(page.get_by_role("button", name="Télécharger le PDF")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    assert " " not in download.value.suggested_filename
    letters, pages = letters_of(download.value.path())
    assert len(letters) == 30 and pages == 8
    identifiers = sorted(letters)
    screenshot(page, "lecon-1-courriers")

    # The class works; the séance follows by itself.
    page.goto(seance_url)
    for identifier in identifiers[:2]:
        pupil_activates_in_a_browser(browser, live_server.url, identifier, *letters[identifier])
    for identifier in identifiers[2:25]:
        pupil_goes_through(identifier, *letters[identifier])
    locked = identifiers[25]
    for _ in range(5):
        sign_in(Client(), locked, "Mauvais#1")
    expect(summary(page)).to_have_text("23 sur 30 élèves dans PRONOTE, 1 à aider.")
    card = page.locator(f'.seance-card[data-pupil="{locked}"]')
    expect(card).to_contain_text("Identifiant bloqué jusqu'à")
    screenshot(page, "lecon-2-seance")

    # Help in one click: unlocked, and the pupil gets in with the letter.
    card.get_by_role("button", name="Débloquer").click()
    expect(page.get_by_text(re.compile(": compte débloqué"))).to_be_visible()
    pupil_goes_through(locked, *letters[locked])
    expect(summary(page)).to_have_text("24 sur 30 élèves dans PRONOTE, 0 à aider.")

    # Reset for the next group.
    page.get_by_role("link", name="Réinitialiser pour le groupe suivant").click()
    expect(page.get_by_text(re.compile("La classe .* compte 30 élèves"))).to_be_visible()
    page.get_by_role("button", name=re.compile("Oui, réinitialiser")).click()
    expect(page.get_by_role("button", name="Télécharger le PDF")).to_be_visible()
    page.goto(seance_url)
    expect(summary(page)).to_have_text("0 sur 30 élèves dans PRONOTE, 0 à aider.")

    # The next group: the same 30 printed letters open the same 30 accounts, all the way.
    for identifier in identifiers:
        pupil_goes_through(identifier, *letters[identifier])
    expect(summary(page)).to_have_text("30 sur 30 élèves dans PRONOTE, 0 à aider.")
    screenshot(page, "lecon-3-groupe-suivant")
    context.close()
