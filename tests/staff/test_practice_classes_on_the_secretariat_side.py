"""A practice class (invented pupils) is marked wherever the secretariat lists classes or
pupils — the classes, the users, « Suivi des comptes », its CSV, the séance — and a class list
import never puts real pupils in it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from staff.actions import do_import_pupils, prepare_import
from staff.importer import plan_import
from tests.factories import SchoolClassFactory, UserFactory
from tests.helpers import confirm_import, csv_bytes, page_of, preview_import


@pytest.fixture
def practice_class(establishment):
    return SchoolClassFactory(
        establishment=establishment,
        division="5e Essai",
        practice=True,
        practice_until=timezone.now() + timedelta(days=30),
    )


@pytest.fixture
def office(client, staff_user, school_class, practice_class):
    """A real « 4e B » with Théo Réel, a practice « 5e Essai » with Zoé Inventée."""
    UserFactory(school_class=school_class, first_name="Théo", last_name="Réel")
    UserFactory(school_class=practice_class, first_name="Zoé", last_name="Inventée")
    client.force_login(staff_user)
    return client


def test_the_class_list_has_an_entrainement_column_and_filter(office):
    url = reverse("admin:schools_schoolclass_changelist")
    page = page_of(office.get(url))
    assert "Entraînement" in page and "classe d'entraînement" in page
    only = page_of(office.get(url, {"practice__exact": "1"}))
    assert "5e Essai" in only and "4e B" not in only


def test_the_users_list_filters_invented_pupils_apart_from_real_ones(office):
    url = reverse("admin:accounts_user_changelist")
    page = page_of(office.get(url))
    assert "Élèves inventés (classes d'entraînement)" in page and "Élèves réels" in page
    invented = page_of(office.get(url, {"entrainement": "oui"}))
    assert "Inventée" in invented and "Réel" not in invented
    real = page_of(office.get(url, {"entrainement": "non"}))
    assert "Réel" in real and "Inventée" not in real
    assert "secretariat" not in real.split("result_list")[-1]  # pupils only


def test_suivi_des_comptes_marks_the_practice_class(office, practice_class):
    page = page_of(office.get(reverse("funnel")))
    assert '5e Essai</a> <span class="practice-mark"' in page
    assert "5e Essai (entraînement)" in page  # the class filter
    pupils = page[page.index('id="funnel-pupils"') :]
    assert 'class="funnel-practice"><td>5e Essai <span class="practice-mark"' in pupils
    one = page_of(office.get(reverse("funnel"), {"classe": practice_class.pk}))
    assert "Classe d'entraînement : ses élèves sont inventés" in one


def test_the_csv_export_says_which_pupils_are_in_a_practice_class(office):
    response = office.get(reverse("funnel"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Classe d'entraînement"
    practice = {row[2]: row[-1] for row in rows[1:]}
    assert practice == {"Réel": "non", "Inventée": "oui"}


def test_the_seance_of_a_practice_class_says_so_in_its_title(office, practice_class, school_class):
    page = page_of(office.get(reverse("seance", args=[practice_class.pk])))
    assert "Séance — 5e Essai — entraînement" in page
    projector = page_of(office.get(reverse("seance_projection", args=[practice_class.pk])))
    assert "5e Essai — entraînement" in projector
    real = page_of(office.get(reverse("seance", args=[school_class.pk])))
    assert "entraînement" not in real.split("<h1")[1].split("</h1>")[0]


def test_the_report_of_a_practice_class_says_so(office, practice_class, school_class):
    def first_row(school_class):
        response = office.get(reverse("seance_report", args=[school_class.pk]))
        return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert first_row(practice_class)[-1] == "classe d'entraînement (élèves inventés)"
    assert "entraînement" not in ";".join(first_row(school_class))


def test_an_import_naming_a_practice_class_is_refused_and_imports_nothing(office, establishment):
    rows = [
        ["Counen", "Théo", "14/03/2012", "4e B", "", ""],
        ["Martin", "Léa", "02/05/2012", "5e essai", "", ""],
    ]
    page = page_of(preview_import(office, establishment, csv_bytes(rows)))
    assert (
        "Ligne 3, colonne « Classe » : 5e Essai est une classe d'entraînement (élèves inventés) : "
        "choisissez une autre classe." in page
    )
    assert 'name="payload"' not in page
    assert not User.objects.filter(last_name__in=["Counen", "Martin"]).exists()


def test_an_invented_pupil_is_never_taken_for_a_real_one(office, establishment):
    """Zoé Inventée of the practice class does not make a real Zoé Inventée « déjà dans
    l'établissement »."""
    invented = User.objects.get(last_name="Inventée")
    born = invented.birth_date.strftime("%d/%m/%Y")
    plan = plan_import(csv_bytes([["Inventée", "Zoé", born, "4e B", "", ""]]), establishment)
    assert plan.is_valid and len(plan.to_create) == 1 and not plan.skipped


def test_a_practice_class_made_after_the_check_still_stops_the_import(establishment):
    plan = plan_import(
        csv_bytes([["Counen", "Théo", "14/03/2012", "6e Neuve", "", ""]]), establishment
    )
    prepared = prepare_import(plan, establishment)
    SchoolClassFactory(establishment=establishment, division="6e Neuve", practice=True)
    with pytest.raises(ValidationError, match="classe d'entraînement"):
        do_import_pupils(prepared)
    assert not User.objects.filter(last_name="Counen").exists()


def test_a_confirmed_import_rechecks_the_practice_classes(office, establishment):
    preview = preview_import(
        office, establishment, csv_bytes([["Counen", "Théo", "14/03/2012", "6e Neuve", "", ""]])
    )
    SchoolClassFactory(establishment=establishment, division="6e Neuve", practice=True)
    page = page_of(confirm_import(office, preview))
    assert "6e Neuve est une classe d'entraînement" in page
    assert not User.objects.filter(last_name="Counen").exists()
