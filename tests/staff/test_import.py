from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from schools.models import Enrolment, SchoolClass
from staff.models import LetterBatch
from tests.factories import EstablishmentFactory, UserFactory
from tests.helpers import (
    a_class,
    confirm_import,
    csv_bytes,
    downloaded,
    letters_in,
    page_of,
    preview_import,
    print_letters,
    run_worker,
    sign_in,
)


def letters_of(client, response):
    """The letters of the job a confirmed form started (staff/jobs.py)."""
    return letters_in(downloaded(client, response).content)


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_siecle_class_list_is_previewed_then_imported_with_its_letters(staff, establishment):
    data = csv_bytes(a_class(30))  # semicolons, Windows-1252
    page = preview_import(staff, establishment, data)
    assert "30 élèves à créer" in page_of(page)
    assert "Classes créées : 4e B" in page_of(page)
    assert not User.objects.filter(last_name__startswith="Élève").exists()  # nothing yet

    response = confirm_import(staff, page)
    letters = letters_of(staff, response)
    assert len(letters) == 30
    for identifier, password in letters.items():
        assert User.objects.get(username=identifier).check_password(password)
    assert SchoolClass.objects.filter(establishment=establishment, division="4e B").count() == 1

    # A pupil signs in with one of the letters.
    identifier, password = next(iter(letters.items()))
    staff.logout()
    assert sign_in(staff, identifier, password)["Location"] == reverse("accounts:activation_start")


def test_utf8_with_bom_and_commas_is_read_too(staff, establishment):
    rows = [["D'Arc-Müller", "Éloïse", "02/07/2012", "5e A", "123456789AB", "eloise@example.org"]]
    response = confirm_import(
        staff,
        preview_import(
            staff, establishment, csv_bytes(rows, encoding="utf-8", delimiter=",", bom=True)
        ),
    )
    assert list(letters_of(staff, response)) == ["e.darcmuller1"]
    user = User.objects.get(username="e.darcmuller1")
    assert (user.first_name, user.birth_date, user.email) == (
        "Éloïse",
        date(2012, 7, 2),
        "eloise@example.org",
    )


def test_an_empty_file_is_refused_before_any_preview(staff, establishment):
    page = page_of(preview_import(staff, establishment, b""))
    assert "Le fichier soumis est vide" in page
    assert 'name="payload"' not in page and User.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04\x00\x00binary", "ce n'est pas un fichier CSV"),
        (
            csv_bytes([["Counen", "Théo", "14/03/2012"]], header=["Nom", "Prénom", "Classe"]),
            "Date de naissance",
        ),
        (
            csv_bytes([["Counen", "Théo", "31/02/2012", "4e B", "", ""]]),
            "Ligne 2, colonne « Date de naissance » : date impossible",
        ),
        (csv_bytes([["Counen", "Théo", "14/03/2099", "4e B", "", ""]]), "date dans le futur"),
        (csv_bytes([["Counen", "Théo", "hier", "4e B", "", ""]]), "date impossible ou illisible"),
        (
            csv_bytes([["", "Théo", "14/03/2012", "4e B", "", ""]]),
            "Ligne 2, colonne « Nom » : valeur manquante",
        ),
        (csv_bytes([["123", "Théo", "14/03/2012", "4e B", "", ""]]), "au moins une lettre"),
        (
            csv_bytes([["Counen", "Théo", "14/03/2012", "4e B", "", "pas-une-adresse"]]),
            "colonne « E-mail » : adresse mail invalide",
        ),
    ],
)
def test_each_bad_file_is_explained_and_changes_nothing(staff, establishment, data, expected):
    page = page_of(preview_import(staff, establishment, data))
    assert expected in page
    assert "Le fichier contient des erreurs : rien ne sera importé" in page
    assert 'name="payload"' not in page
    assert User.objects.count() == 1  # the staff member only


def test_an_error_on_line_500_of_1000_leaves_the_database_untouched(staff, establishment):
    rows = [[f"Nom{n}", "Prénom", "01/01/2012", "6e A", "", ""] for n in range(1000)]
    rows[498][2] = "31/13/2012"  # line 500 (after the header)
    page = page_of(preview_import(staff, establishment, csv_bytes(rows)))
    assert "Ligne 500, colonne « Date de naissance »" in page
    assert User.objects.count() == 1 and not SchoolClass.objects.filter(division="6e A").exists()


def test_a_failure_while_creating_rolls_everything_back(staff, establishment, monkeypatch):
    """The accounts are written, then the enrolments fail: nothing at all is kept."""
    page = preview_import(staff, establishment, csv_bytes(a_class(10)))

    def failing(*args, **kwargs):
        assert User.objects.filter(last_name__startswith="Élève").count() == 10
        raise RuntimeError("panne pendant l'écriture")

    monkeypatch.setattr(Enrolment.objects, "bulk_create", failing)
    confirm_import(staff, page)
    run_worker()
    assert "panne pendant l'écriture" in LetterBatch.objects.get().error
    assert User.objects.count() == 1 and not Enrolment.objects.exists()
    assert not SchoolClass.objects.filter(division="4e B").exists()


def test_importing_the_same_file_twice_creates_no_duplicates(staff, establishment):
    data = csv_bytes(a_class(5))
    confirm_import(staff, preview_import(staff, establishment, data))
    run_worker()
    again = preview_import(staff, establishment, data)
    assert "0 élève à créer" in page_of(again) and "5 lignes ignorées" in page_of(again)
    assert "déjà dans l'établissement" in page_of(again)
    assert User.objects.filter(last_name__startswith="Élève").count() == 5


def test_the_same_pupil_twice_in_a_file_is_created_once(staff, establishment):
    rows = [["Counen", "Théo", "14/03/2012", "4e B", "", ""]] * 2
    page = page_of(preview_import(staff, establishment, csv_bytes(rows)))
    assert "1 élève à créer" in page and "en double dans le fichier (ligne 2)" in page


def test_staff_import_only_into_their_own_establishment(client, establishment):
    other = EstablishmentFactory(name="Lycée voisin")
    secretary = UserFactory(staff=True, username="secretariat2", is_superuser=True)
    Enrolment.objects.create(user=secretary, establishment=establishment, role="personnel")
    secretary.is_superuser = False
    secretary.save()
    from django.contrib.auth.models import Permission

    secretary.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(secretary)
    page = preview_import(client, other, csv_bytes(a_class(2)))
    assert "Sélectionnez un choix valide" in page_of(page)
    assert User.objects.filter(last_name__startswith="Élève").count() == 0


def test_the_command_imports_and_writes_the_letters(establishment, tmp_path):
    source, pdf = tmp_path / "eleves.csv", tmp_path / "courriers.pdf"
    source.write_bytes(csv_bytes(a_class(3)))
    call_command("import_pupils", str(source), "--establishment", establishment.uai, "--dry-run")
    assert not User.objects.exists()
    call_command(
        "import_pupils", str(source), "--establishment", establishment.uai, "--letters", str(pdf)
    )
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert all(u.username in text for u in User.objects.all())


def test_the_command_imports_nothing_when_the_letters_cannot_be_written(establishment, tmp_path):
    source = tmp_path / "eleves.csv"
    source.write_bytes(csv_bytes(a_class(3)))
    with pytest.raises(FileNotFoundError):
        call_command(
            "import_pupils",
            str(source),
            "--establishment",
            establishment.uai,
            "--letters",
            str(tmp_path / "pas-de-dossier" / "courriers.pdf"),
        )
    assert not User.objects.exists()


def test_the_command_refuses_a_bad_file(establishment, tmp_path):
    source = tmp_path / "eleves.csv"
    source.write_bytes(csv_bytes([["Counen", "Théo", "31/02/2012", "4e B", "", ""]]))
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command(
            "import_pupils",
            str(source),
            "--establishment",
            establishment.uai,
            "--letters",
            str(tmp_path / "x.pdf"),
        )


def test_printing_letters_reissues_after_a_warning(staff, issued):
    url = reverse("admin:accounts_user_changelist")
    data = {"action": "print_letters", "_selected_action": [issued.user.pk]}
    assert "imprimer un courrier, c'est en émettre un nouveau" in page_of(staff.post(url, data))
    letters = letters_of(staff, print_letters(staff, [issued.user]))
    user = User.objects.get(pk=issued.user.pk)
    assert user.check_password(letters[issued.identifier])
    assert not user.check_password(issued.password)


def test_staff_see_and_act_only_on_their_own_pupils(client, establishment, issued):
    from django.contrib.auth.models import Permission

    other = EstablishmentFactory(name="Lycée voisin")
    secretary = UserFactory(staff=True, username="secretariat3")
    secretary.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    Enrolment.objects.create(user=secretary, establishment=other, role="personnel")
    client.force_login(secretary)
    changelist = page_of(client.get(reverse("admin:accounts_user_changelist")))
    assert issued.identifier not in changelist
    assert client.get(reverse("admin:accounts_user_change", args=[issued.user.pk])).status_code in (
        302,
        404,
    )
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_departed", "_selected_action": [issued.user.pk]},
    )
    assert User.objects.get(pk=issued.user.pk).departed_at is None


def test_an_import_records_first_letters_in_the_audit_trail(staff, establishment):
    from audit.models import AuditEvent

    confirm_import(staff, preview_import(staff, establishment, csv_bytes(a_class(3))))
    run_worker()
    assert AuditEvent.objects.filter(action="credentials_issued").count() == 3
    assert not AuditEvent.objects.filter(action="credentials_reissued").exists()
