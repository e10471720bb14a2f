"""A teacher on a phone (360 px): signs in on the portal's sign-in page, lands on « Mes
classes », creates a practice class of 5 invented pupils and reaches its séance, which follows
a pupil's progress without a reload; every page holds together at that width."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accounts.credentials import practice_password
from accounts.models import User
from schools.models import SchoolClass
from tests.factories import SchoolClassFactory, teacher_of
from tests.helpers import GOOD_PASSWORD, LAYOUT_PROBLEMS, activate, sign_in

pytestmark = pytest.mark.e2e


def holds_together(page, name):
    problems = page.evaluate(LAYOUT_PROBLEMS)
    assert not problems, f"{name}:\n" + "\n".join(problems[:10])


def test_a_teacher_reaches_my_classes_and_creates_a_practice_class_on_a_phone(
    browser, live_server, establishment, charter
):
    teacher = teacher_of(SchoolClassFactory(establishment=establishment, division="4e B"))
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/educonnect/login/")
    page.get_by_label(re.compile(r"^Identifiant")).fill(teacher.username)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mes classes")).to_be_visible()
    holds_together(page, "mes-classes")
    page.get_by_role("link", name="Créer une classe d'entraînement").click()
    holds_together(page, "creer")
    page.get_by_label("Nombre d'élèves").fill("5")
    page.get_by_role("button", name="Créer la classe").click()
    expect(page.get_by_role("heading", name=re.compile("Séance — Entraînement 1"))).to_be_visible()
    expect(page.locator(".seance-card")).to_have_count(5)
    expect(page.get_by_role("status").filter(has_text="0 sur 5 élèves")).to_be_visible()
    holds_together(page, "seance")
    # A pupil goes through in another browser: the summary changes without a reload.
    school_class = SchoolClass.objects.get(practice=True)
    pupil = User.objects.filter(enrolments__school_class=school_class).first()
    other = Client()
    password = practice_password(school_class.letter_seed, pupil.username)
    assert sign_in(other, pupil.username, password)["Location"] == reverse(
        "accounts:activation_start"
    )
    birth = pupil.birth_date.strftime("%d/%m/%Y")
    assert activate(other, birth_date=birth)["Location"] == reverse("accounts:activated")
    other.post(reverse("charter:accept"), {"accept": "on", "next": "/ent/"})
    other.get(reverse("pronote:home"))
    other.post(reverse("pronote:home"))
    expect(page.locator("#classroom-summary")).to_have_text(
        "1 sur 5 élèves dans PRONOTE, 0 à aider."
    )
    page.get_by_role("link", name="Vue pour le vidéoprojecteur").click()
    expect(page.locator(".projection__pupil")).to_have_count(5)
    holds_together(page, "projection")
    context.close()
