"""A lesson with a class of 30: the teacher's séance page, open in a browser, shows the bars
move and the stuck pupils with their reasons while the pupils work, without any reload by
hand; the reset brings the class back to « Courrier remis » and the same pupils go through
again with the new letters."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accounts.actions import Newcomer, do_create_accounts, prepare_accounts
from schools.models import SchoolClass
from tests.factories import EstablishmentFactory, UserFactory
from tests.helpers import GOOD_PASSWORD, activate, letters_in, sign_in

pytestmark = pytest.mark.e2e

BIRTH = date(2012, 3, 14)


def pupil_goes_through(identifier, password):
    """Sign-in with the letter, activation, charter, PRONOTE: as a pupil's browser does."""
    pupil = Client()
    assert sign_in(pupil, identifier, password)["Location"] == reverse("accounts:activation_start")
    assert activate(pupil)["Location"] == reverse("accounts:activated")
    pupil.post(reverse("charter:accept"), {"accept": "on", "next": "/ent/"})
    pupil.get(reverse("pronote:home"))
    pupil.post(reverse("pronote:home"))


def count_of(page, step):
    return page.locator(f'.seance-bar[data-step="{step}"] .seance-bar__count')


def test_a_teacher_watches_a_class_of_30_and_resets_it_for_the_next_group(
    browser, live_server, charter, screenshot, immediate_tasks
):
    establishment = EstablishmentFactory(name="Collège Alfred Bruzet")
    school_class = SchoolClass.objects.create(establishment=establishment, division="5e C")
    letters = {
        item.identifier: item.password
        for item in do_create_accounts(
            prepare_accounts(
                [
                    Newcomer(
                        first_name=f"Élève{n:02d}",
                        last_name=f"Classe{n:02d}",
                        birth_date=BIRTH,
                        school_class=school_class,
                    )
                    for n in range(30)
                ],
                establishment,
            )
        )
    }
    identifiers = sorted(letters)
    teacher = UserFactory(superuser=True, username="prof.principale")
    staff_client = Client()
    staff_client.force_login(teacher)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": staff_client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/seance/{school_class.pk}/")
    expect(count_of(page, "issued")).to_have_attribute("data-count", "30")
    expect(count_of(page, "pronote")).to_have_attribute("data-count", "0")
    screenshot(page, "seance-0-debut")

    # The class works: 27 go all the way, one is locked out, one mistypes her birth date,
    # one has not started yet.
    for identifier in identifiers[:27]:
        pupil_goes_through(identifier, letters[identifier])
    locked, dates = identifiers[27], identifiers[28]
    for _ in range(5):
        sign_in(Client(), locked, "Mauvais#1")
    mistakes = Client()
    sign_in(mistakes, dates, letters[dates])
    activate(mistakes, birth_date="01/01/2011")
    activate(mistakes, birth_date="02/01/2011")

    # The teacher's page follows by itself.
    expect(count_of(page, "pronote")).to_have_attribute("data-count", "27")
    stuck_locked = page.locator(f'.seance-card[data-pupil="{locked}"]')
    expect(stuck_locked).to_contain_text("Identifiant bloqué jusqu'à")
    expect(page.locator(f'.seance-card[data-pupil="{dates}"]')).to_contain_text(
        "2 dates de naissance erronées"
    )
    expect(page.get_by_text("2 élèves ont besoin d'aide")).to_be_visible()
    screenshot(page, "seance-1-en-cours")

    # Help in one click: unlocked, and the card says so.
    stuck_locked.get_by_role("button", name="Débloquer").click()
    expect(page.locator(f'.seance-card[data-pupil="{locked}"]')).to_contain_text("déblocage")

    # The projector shows first names and bars, nothing else.
    projector = context.new_page()
    projector.goto(f"{live_server.url}/admin/seance/{school_class.pk}/projection/")
    expect(projector.locator("h1")).to_have_text("5e C")
    assert locked not in projector.content() and "Classe27" not in projector.content()
    screenshot(projector, "seance-2-videoprojecteur")

    # Reset for the next group: confirmation, then the job's page, then one PDF with the 30
    # new letters, four per page.
    page.goto(f"{live_server.url}/admin/seance/{school_class.pk}/")
    page.get_by_role("link", name="Réinitialiser la classe pour une nouvelle séance").click()
    expect(page.get_by_text(re.compile("La classe 5e\u00a0C .* compte 30 élèves"))).to_be_visible()
    page.get_by_label("4 par page").check()
    page.get_by_role("button", name=re.compile("Oui, réinitialiser")).click()
    expect(page.get_by_role("heading", name="Réinitialisation de la classe 5e C")).to_be_visible()
    expect(page.get_by_text("30 courriers prêts")).to_be_visible()
    screenshot(page, "seance-2b-courriers-prets")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    assert re.fullmatch(r"courriers-5e-c-\d{8}-\d{4}\.pdf", download.value.suggested_filename)
    new_letters = letters_in(open(download.value.path(), "rb").read())  # noqa: SIM115
    assert set(new_letters) == set(identifiers)
    assert all(new_letters[i] != letters[i] for i in identifiers)

    page.goto(f"{live_server.url}/admin/seance/{school_class.pk}/")
    expect(count_of(page, "activated")).to_have_attribute("data-count", "0")
    expect(count_of(page, "issued")).to_have_attribute("data-count", "30")
    # The next group: the same accounts, the new letters, the same password as last time.
    for identifier in identifiers[:3]:
        pupil_goes_through(identifier, new_letters[identifier])
    expect(count_of(page, "pronote")).to_have_attribute("data-count", "3")
    assert GOOD_PASSWORD  # the next group chose the same one: no « déjà utilisé »
    screenshot(page, "seance-3-groupe-suivant")
    context.close()
