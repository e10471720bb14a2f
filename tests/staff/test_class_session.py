"""« Séance »: a teacher watches one class go through, helps the stuck, resets for the next
group (the page, its live part, the projector, the help, the reset, the report)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import lockout
from accounts.actions import do_activate_account, do_create_account
from accounts.models import User
from audit.models import Action, AuditEvent
from charter.actions import do_accept_charter
from charter.models import Acceptance
from pronote.models import FirstVisit
from schools.models import Enrolment, Role
from tests.factories import SchoolClassFactory, UserFactory
from tests.helpers import (
    GOOD_PASSWORD,
    activate,
    downloaded,
    job_token_in,
    letters_in,
    page_of,
    sign_in,
)


@pytest.fixture
def teacher(establishment):
    user = UserFactory(staff_of=establishment, username="prof.principal")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_user", "change_user", "add_user"])
    )
    return user


def new_pupil(school_class, first_name, last_name):
    from datetime import date

    return do_create_account(
        first_name=first_name,
        last_name=last_name,
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
    )


def cards_of(page):
    return page[page.index('class="seance-cards"') :]


def test_the_page_shows_the_funnel_as_bars_and_why_each_pupil_is_stuck(
    client, teacher, school_class, charter
):
    never = new_pupil(school_class, "Noah", "Petit")
    wrong_dates = new_pupil(school_class, "Inès", "Benali")
    locked = new_pupil(school_class, "Léa", "Martin")
    done = new_pupil(school_class, "Tom", "Durand")
    sign_in(client, wrong_dates.identifier, wrong_dates.password)
    activate(client, birth_date="01/01/2011")
    activate(client, birth_date="02/01/2011")
    client.cookies.clear()
    for _ in range(5):
        sign_in(client, locked.identifier, "Mauvais#1")
    client.cookies.clear()
    user = do_activate_account(done.user, new_password=GOOD_PASSWORD)
    do_accept_charter(user, charter)
    FirstVisit.objects.create(user=user)

    client.force_login(teacher)
    page = page_of(client.get(reverse("seance", args=[school_class.pk])))
    assert '<span class="seance-bar__count" data-count="4">4 (100 %)' in page
    assert 'data-count="1">1 (25 %)' in page  # activated, charter, PRONOTE: Tom
    cards = cards_of(page)
    assert "Pas encore de connexion" in cards[cards.index("Noah") :]
    ines = cards[cards.index("Inès") :]
    assert "2 dates de naissance erronées" in ines[:600]
    assert "Activation commencée, pas terminée" in ines[:600]
    lea = cards[cards.index("Léa") :]
    assert "Identifiant bloqué jusqu'à" in lea[:400] and "Débloquer" in lea[:900]
    assert "Dans PRONOTE" in cards[cards.index("Tom") :][:400]
    assert "2 élèves ont besoin d'aide" in page
    assert "Séance en direct" not in page  # the funnel's link; here we are in the séance
    assert never.identifier in page


def test_a_refused_charter_is_shown_as_the_reason(client, teacher, school_class, charter):
    pupil = new_pupil(school_class, "Jade", "Roux")
    user = do_activate_account(pupil.user, new_password=GOOD_PASSWORD)
    client.force_login(user)
    client.post(reverse("charter:refuse"))
    client.force_login(teacher)
    page = page_of(client.get(reverse("seance_live", args=[school_class.pk])))
    assert "A refusé la charte (« Je refuse »)" in page


def test_the_live_part_costs_the_same_for_5_and_for_30_pupils(
    client, teacher, school_class, charter
):
    """Bounded queries: the page is asked every few seconds by a class of 30."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("seance_live", args=[school_class.pk])).status_code == 200
        return len(captured)

    client.force_login(teacher)
    for n in range(5):
        new_pupil(school_class, "Élève", f"Nom{n}")
    few = queries()
    for n in range(5, 30):
        new_pupil(school_class, "Élève", f"Nom{n}")
    assert queries() == few


def test_help_in_one_click_unlocks_and_is_audited(client, teacher, school_class):
    pupil = new_pupil(school_class, "Léa", "Martin")
    for _ in range(5):
        sign_in(client, pupil.identifier, "Mauvais#1")
    assert lockout.is_locked(pupil.identifier)
    client.force_login(teacher)
    url = reverse("seance_help", args=[school_class.pk, pupil.user.pk])
    client.post(url, {"aide": "debloquer"})
    assert not lockout.is_locked(pupil.identifier)
    assert AuditEvent.objects.filter(
        action=Action.UNLOCKED, subject=pupil.user, actor=teacher
    ).exists()
    page = page_of(client.get(reverse("seance", args=[school_class.pk])))
    assert "Aide reçue : déblocage" in cards_of(page)


def test_help_shows_a_new_password_once_for_the_teacher_to_copy(client, teacher, school_class):
    pupil = new_pupil(school_class, "Noah", "Petit")
    client.force_login(teacher)
    url = reverse("seance_help", args=[school_class.pk, pupil.user.pk])
    page = page_of(client.post(url, {"aide": "mot-de-passe"}))
    password = page.split('class="provisional-password">')[1].split("<")[0]
    assert len(password) == 10 and "Retour à la séance" in page
    client.logout()
    assert sign_in(client, pupil.identifier, password)["Location"] == reverse(
        "accounts:activation_start"
    )


def test_help_is_only_for_the_pupils_of_this_class_and_school(client, teacher, school_class):
    stranger = UserFactory(activated=True, school_class=SchoolClassFactory())
    client.force_login(teacher)
    url = reverse("seance_help", args=[school_class.pk, stranger.pk])
    assert client.post(url, {"aide": "mot-de-passe"}).status_code == 404
    other_class = SchoolClassFactory()
    assert client.get(reverse("seance", args=[other_class.pk])).status_code == 404


def test_the_projector_shows_first_names_and_bars_only(client, teacher, school_class):
    pupil = new_pupil(school_class, "Inès", "Benali")
    sign_in(client, pupil.identifier, pupil.password)
    activate(client, birth_date="01/01/2011")
    client.cookies.clear()
    client.force_login(teacher)
    page = page_of(client.get(reverse("seance_projection", args=[school_class.pk])))
    assert "Inès" in page
    for private in ["Benali", pupil.identifier, "14/03/2012", "2012", "erronée", "bloqué"]:
        assert private not in page, private
    assert "Simulation de formation." in page


def test_resetting_the_class_brings_it_back_to_courrier_remis_for_the_next_group(
    client, teacher, school_class, charter
):
    first, second = (
        new_pupil(school_class, "Tom", "Durand"),
        new_pupil(school_class, "Zoé", "Leroy"),
    )
    user = do_activate_account(first.user, new_password=GOOD_PASSWORD, email="tom@example.org")
    do_accept_charter(user, charter)
    FirstVisit.objects.create(user=user)
    client.force_login(teacher)
    url = reverse("seance_reset", args=[school_class.pk])
    confirm_page = client.get(url)
    confirm = page_of(confirm_page)
    assert "La classe 4e B" in confirm and "compte 2 élèves" in confirm
    assert "1 élève a atteint « PRONOTE ouvert »" in confirm
    assert Acceptance.objects.filter(user=user).exists()  # nothing yet
    response = client.post(url, {"confirm": "yes", "job_token": job_token_in(confirm_page)})
    letters = letters_in(downloaded(client, response).content)
    assert set(letters) == {first.identifier, second.identifier}
    assert not Acceptance.objects.filter(user=user).exists()
    assert not FirstVisit.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.is_provisional and user.email == ""
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_ACTIVATED, subject=user).exists()
    assert AuditEvent.objects.filter(action=Action.CLASS_RESET, actor=teacher).count() == 1
    page = page_of(client.get(reverse("seance", args=[school_class.pk])))
    assert 'data-count="0">0 (0 %)' in page  # nobody past « Courrier remis »
    # The next group: Tom's account, a new pupil, the same password as last time is fine.
    client.logout()
    sign_in(client, first.identifier, letters[first.identifier])
    assert activate(client)["Location"] == reverse("accounts:activated")


def test_the_report_gives_the_steps_the_median_time_and_who_needed_help(
    client, teacher, school_class, charter
):
    pupil = new_pupil(school_class, "Tom", "Durand")
    stuck = new_pupil(school_class, "Léa", "Martin")
    user = do_activate_account(pupil.user, new_password=GOOD_PASSWORD)
    do_accept_charter(user, charter)
    FirstVisit.objects.create(user=user)
    for _ in range(5):
        sign_in(client, stuck.identifier, "Mauvais#1")
    client.force_login(teacher)
    client.post(
        reverse("seance_help", args=[school_class.pk, stuck.user.pk]), {"aide": "debloquer"}
    )
    response = client.get(reverse("seance_report", args=[school_class.pk]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="seance-4e-b-')
    assert "PRONOTE ouvert;1;50 %" in text
    assert "Temps médian du courrier à PRONOTE (minutes);0" in text
    assert "Martin;Léa;Courrier remis;5 mots de passe erronés;déblocage" in text
    assert "Durand" not in text.split("Aide reçue")[1]


def test_the_funnel_leads_to_the_seance_of_a_class(client, teacher, school_class):
    client.force_login(teacher)
    page = page_of(client.get(reverse("funnel") + f"?classe={school_class.pk}"))
    assert reverse("seance", args=[school_class.pk]) in page


def test_a_pupil_of_another_class_is_not_on_the_card_list(client, teacher, school_class):
    other = SchoolClassFactory(establishment=school_class.establishment, division="3e A")
    new_pupil(other, "Hugo", "Moreau")
    client.force_login(teacher)
    assert "Hugo" not in page_of(client.get(reverse("seance", args=[school_class.pk])))
    assert Enrolment.objects.filter(role=Role.PUPIL).count() == 1
    assert User.objects.filter(first_name="Hugo").exists()


def test_only_one_short_sentence_is_a_live_region_and_the_help_buttons_have_stable_ids(
    client, teacher, school_class
):
    pupil = new_pupil(school_class, "Noah", "Petit")
    client.force_login(teacher)
    page = page_of(client.get(reverse("seance", args=[school_class.pk])))
    # Not the whole class list: a screen reader would re-read it at each refresh.
    assert "aria-live" not in page
    assert (
        '<p id="seance-summary" class="seance-summary" role="status">'
        "0 sur 1 élève dans PRONOTE, 0 à aider.</p>" in page
    )
    assert 'data-part="#seance-part" data-summary="#seance-summary"' in page
    # seance.js finds the focused button again by its id after a refresh.
    assert f'id="mot-de-passe-{pupil.user.pk}"' in page
    assert f'id="courrier-{pupil.user.pk}"' in page
    live = page_of(client.get(reverse("seance_live", args=[school_class.pk])))
    assert 'id="seance-summary"' in live and 'id="seance-part"' in live


@pytest.mark.parametrize("view", ["seance", "seance_projection"])
def test_the_automatic_refresh_can_be_paused_with_or_without_javascript(
    client, teacher, school_class, view
):
    """The séance and its projector page alike (RGAA 13.1)."""
    client.force_login(teacher)
    url = reverse(view, args=[school_class.pk])
    page = page_of(client.get(url))
    assert '<meta http-equiv="refresh"' in page
    assert 'id="seance-pause"' in page and 'aria-pressed="false"' in page
    assert f'<a href="{url}?pause=1">Mettre en pause la mise à jour automatique</a>' in page
    paused = page_of(client.get(url + "?pause=1"))
    assert '<meta http-equiv="refresh"' not in paused
    assert 'aria-pressed="true"' in paused
    assert f'<a href="{url}">Reprendre la mise à jour automatique</a>' in paused
