from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from audit.models import Action, AuditEvent
from families.models import ParentLink
from schools.models import Enrolment, Role
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory
from tests.helpers import (
    PARENT_CSV_HEADER,
    confirm_parent_import,
    csv_bytes,
    page_of,
    preview_parent_import,
)


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def children(school_class):
    theo = UserFactory(
        school_class=school_class,
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
        username="t.counen1",
    )
    tom = UserFactory(
        school_class=school_class,
        first_name="Tom",
        last_name="Counen",
        birth_date=date(2011, 8, 27),
        username="t.counen2",
    )
    return theo, tom


def rows():
    return [
        [
            "Counen",
            "Sandrine",
            "06 39 98 00 01",
            "s.counen@example.org",
            "Counen",
            "Théo",
            "14/03/2012",
            "oui",
        ],
        ["Counen", "Sandrine", "+33 6 39 98 00 01", "", "Counen", "Tom", "27/08/2011", "oui"],
        ["Counen", "Marc", "0639980002", "", "COUNEN", "theo", "14/03/2012", "non"],
    ]


def parent_csv(data_rows, **kwargs):
    return csv_bytes(data_rows, header=PARENT_CSV_HEADER, **kwargs)


def test_responsables_are_previewed_then_imported_with_their_links(staff, establishment, children):
    """The preview counts parents and links and changes nothing; confirming saves them all."""
    theo, tom = children
    page = preview_parent_import(staff, establishment, parent_csv(rows()))
    text = page_of(page)
    assert "2 responsables à créer" in text and "3 liens avec des élèves à créer" in text
    assert not User.objects.filter(role=Role.PARENT).exists()

    response = confirm_parent_import(staff, page)
    assert response.status_code == 302
    sandrine = User.objects.get(first_name="Sandrine")
    assert sandrine.username == "s.counen1" and sandrine.role == Role.PARENT
    assert not sandrine.has_usable_password()
    assert str(sandrine.parent_profile.mobile) == "+33639980001"
    assert set(ParentLink.objects.filter(parent=sandrine).values_list("child", flat=True)) == {
        theo.pk,
        tom.pk,
    }
    marc_link = ParentLink.objects.get(parent__first_name="Marc")
    assert marc_link.child == theo and marc_link.legal_representative is False
    assert (
        Enrolment.objects.current()
        .filter(user=sandrine, establishment=establishment, role=Role.PARENT)
        .exists()
    )
    assert AuditEvent.objects.filter(action=Action.PARENT_LINKED).count() == 3


def test_importing_the_same_file_twice_creates_nothing_more(staff, establishment, children):
    """Idempotence: every row is then « déjà responsable de cet élève »."""
    confirm_parent_import(staff, preview_parent_import(staff, establishment, parent_csv(rows())))
    page = preview_parent_import(staff, establishment, parent_csv(rows()))
    assert 'name="payload"' not in page_of(page)
    assert page_of(page).count("déjà responsable de cet élève") == 3
    assert User.objects.filter(role=Role.PARENT).count() == 2
    assert ParentLink.objects.count() == 3


def test_each_error_names_its_line_and_column_and_nothing_is_imported(
    staff, establishment, children
):
    """A wrong number, an unknown child, a bad « oui/non »: all listed, nothing saved."""
    bad = rows() + [
        ["Fabre", "Léa", "01 23 45 67 89", "", "Fabre", "Hugo", "01/01/2012", "oui"],
        ["Fabre", "Paul", "06 39 98 00 09", "", "Counen", "Théo", "14/03/2012", "peut-être"],
        ["Fabre", "Jo", "pas un numéro", "", "Inconnu", "Personne", "01/01/2012", ""],
    ]
    page = preview_parent_import(staff, establishment, parent_csv(bad))
    text = page_of(page)
    assert "Ligne 5, colonne « Téléphone portable » : ce n'est pas un numéro de portable" in text
    assert "Ligne 6, colonne « Représentant légal »" in text
    assert "Ligne 7, colonne « Téléphone portable » : numéro de téléphone illisible" in text
    assert 'name="payload"' not in text
    assert not User.objects.filter(role=Role.PARENT).exists()


def test_an_unknown_child_is_an_error_on_the_pupil_column(staff, establishment, children):
    """A child not enrolled in this establishment is not linked."""
    other = SchoolClassFactory(establishment=EstablishmentFactory())
    UserFactory(
        school_class=other, first_name="Hugo", last_name="Fabre", birth_date=date(2012, 1, 1)
    )
    data = parent_csv([["Fabre", "Léa", "", "", "Fabre", "Hugo", "01/01/2012", "oui"]])
    text = page_of(preview_parent_import(staff, establishment, data))
    assert (
        "Ligne 2, colonne « Nom de l'élève » : aucun élève de l'établissement ne correspond."
        in text
    )


def test_a_file_without_the_child_columns_is_refused_on_its_header(staff, establishment):
    data = csv_bytes([["Counen", "Sandrine"]], header=["Nom", "Prénom"])
    text = page_of(preview_parent_import(staff, establishment, data))
    assert "colonne absente de l'en-tête" in text


def test_the_child_may_be_named_by_identifier(staff, establishment, children):
    theo, _tom = children
    data = csv_bytes(
        [["Counen", "Sandrine", "0639980001", "t.counen1"]],
        header=["Nom", "Prénom", "Téléphone portable", "Identifiant de l'élève"],
        encoding="utf-8",
        delimiter=",",
    )
    confirm_parent_import(staff, preview_parent_import(staff, establishment, data))
    assert ParentLink.objects.get().child == theo


def test_a_parent_known_in_another_school_gets_one_account_for_both(staff, establishment, children):
    """Same names and same mobile: the existing account gains the new child and school."""
    theo, _tom = children
    other_school = EstablishmentFactory(name="Cité scolaire Henri IV")
    sister = UserFactory(
        school_class=SchoolClassFactory(establishment=other_school),
        first_name="Manon",
        last_name="Counen",
        birth_date=date(2009, 4, 9),
    )
    confirm_parent_import(
        staff, preview_parent_import(staff, establishment, parent_csv(rows()[:1]))
    )
    data = parent_csv(
        [["Counen", "Sandrine", "06 39 98 00 01", "", "Counen", "Manon", "09/04/2009", "oui"]]
    )
    page = preview_parent_import(staff, other_school, data)
    assert "Sandrine Counen" in page_of(page) and "s.counen1" in page_of(page)
    confirm_parent_import(staff, page)
    sandrine = User.objects.get(first_name="Sandrine")
    assert set(ParentLink.objects.filter(parent=sandrine).values_list("child", flat=True)) == {
        theo.pk,
        sister.pk,
    }
    assert Enrolment.objects.current().filter(user=sandrine).count() == 2


def test_a_secretary_cannot_import_into_another_school(client, establishment, children):
    """The establishment field offers only the schools the secretary manages."""
    other_school = EstablishmentFactory()
    secretary = UserFactory(staff_of=other_school)
    from django.contrib.auth.models import Permission

    secretary.user_permissions.add(Permission.objects.get(codename="add_user"))
    client.force_login(secretary)
    page = preview_parent_import(client, establishment, parent_csv(rows()))
    assert "Sélectionnez un choix valide" in page_of(page)
    assert not User.objects.filter(role=Role.PARENT).exists()


def run_import_parents(source, establishment, *options):
    out, err = StringIO(), StringIO()
    call_command(
        "import_parents",
        str(source),
        "--establishment",
        establishment.uai,
        *options,
        stdout=out,
        stderr=err,
    )
    return out.getvalue().replace("\u00a0", " ")  # as read: French non-breaking spaces


def test_the_command_imports_like_the_admin_and_a_second_run_changes_nothing(
    establishment, children, tmp_path
):
    """``manage.py import_parents``: the admin's CSV, a dry run that saves nothing, then
    everything at once; the same file again creates nothing more."""
    source = tmp_path / "responsables.csv"
    source.write_bytes(parent_csv(rows()))
    out = run_import_parents(source, establishment, "--dry-run")
    assert "Responsables à créer : 2 ; liens avec des élèves à créer : 3" in out
    assert not User.objects.filter(role=Role.PARENT).exists()
    out = run_import_parents(source, establishment)
    assert "Responsables enregistrés : 2 ; liens avec des élèves : 3." in out
    assert ParentLink.objects.count() == 3
    assert AuditEvent.objects.filter(action=Action.PARENT_LINKED).count() == 3
    out = run_import_parents(source, establishment)
    assert "Rien à importer" in out and "ignoré : ligne 4, Marc Counen" in out
    assert User.objects.filter(role=Role.PARENT).count() == 2 and ParentLink.objects.count() == 3


def test_the_command_names_each_error_by_line_and_column_and_imports_nothing(
    establishment, children, tmp_path
):
    source = tmp_path / "responsables.csv"
    bad = [*rows(), ["Fabre", "Léa", "01 23 45 67 89", "", "Counen", "Tom", "27/08/2011", "oui"]]
    source.write_bytes(parent_csv(bad))
    err = StringIO()
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command(
            "import_parents", str(source), "--establishment", establishment.uai, stderr=err
        )
    assert "ligne 5, colonne « Téléphone portable » : ce n'est pas un numéro de portable" in (
        err.getvalue().replace("\u00a0", " ")
    )
    assert not User.objects.filter(role=Role.PARENT).exists()
