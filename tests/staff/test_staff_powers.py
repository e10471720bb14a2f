"""Staff powers you can trust: what a secretary of one school could do in an attack, and no
longer can (scoping, superusers, leaks, surprises)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.actions import do_issue_credentials
from audit.models import Action, AuditEvent
from charter.actions import do_accept_charter
from charter.models import Acceptance
from pronote.models import Evaluation, FirstVisit, Mark, Subject
from schools.models import Enrolment, Role
from schools.rules import managed_establishments, people_managed_by
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory
from tests.helpers import page_of


@pytest.fixture
def superuser_of_the_school(establishment):
    """Like ``admin`` after createsuperuser: enrolled at the school, no TOTP key yet."""
    user = UserFactory(username="admin", is_staff=True, is_superuser=True, role=Role.STAFF)
    Enrolment.objects.create(user=user, establishment=establishment, role=Role.STAFF)
    return user


def test_a_secretary_cannot_see_or_act_on_a_superuser_of_her_school(
    client, secretary, superuser_of_the_school
):
    """The takeover: set its password, re-issue its letter, mark it departed. None holds."""
    admin_user = superuser_of_the_school
    client.force_login(secretary)
    changelist = reverse("admin:accounts_user_changelist")
    assert "admin" not in [u.username for u in people_managed_by(secretary)]
    assert ">admin<" not in page_of(client.get(changelist))
    assert client.get(reverse("admin:accounts_user_change", args=[admin_user.pk])).status_code in (
        302,
        404,
    )
    for action in ["reissue_credentials", "print_letters", "mark_departed", "unlock"]:
        client.post(
            changelist, {"action": action, "_selected_action": [admin_user.pk], "confirm": "yes"}
        )
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.departed_at is None
    assert admin_user.provisional_issued_at is None
    assert not AuditEvent.objects.filter(subject=admin_user).exists()


@pytest.mark.parametrize("who", ["secretary", "superuser"])
def test_nobody_sets_a_password_by_hand_in_the_admin(client, pupil, secretary, who):
    """« Réinitialiser le mot de passe » is gone: re-issuing a letter is the staff power."""
    user = secretary if who == "secretary" else UserFactory(superuser=True)
    client.force_login(user)
    url = reverse("admin:auth_user_password_change", args=[pupil.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Pris#Enmain99", "password2": "Pris#Enmain99"})
    assert response.status_code == 403
    pupil.refresh_from_db()
    assert not pupil.check_password("Pris#Enmain99")
    change = page_of(client.get(reverse("admin:accounts_user_change", args=[pupil.pk])))
    assert url not in change and "Ré-émettre des identifiants provisoires" in change


def test_the_admin_header_changes_the_staff_members_password_on_allauths_page(client, secretary):
    """The header's link and the admin's own password page both lead to « Changer de mot de
    passe » (allauth): no password form in the admin, the staff member's own included."""
    client.force_login(secretary)
    allauth_page = reverse("account_change_password")
    header = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{allauth_page}">Changer de mot de passe</a>' in header
    assert reverse("admin:password_change") not in header
    assert client.get(reverse("admin:password_change"))["Location"] == allauth_page
    page = client.get(allauth_page)
    assert page.status_code == 200 and 'name="oldpassword"' in page.content.decode()


def test_a_staff_edit_of_an_account_is_audited(client, secretary, pupil):
    client.force_login(secretary)
    url = reverse("admin:accounts_user_change", args=[pupil.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        username=pupil.username,
        last_name="Counen-Martin",
        first_name=pupil.first_name,
        role=pupil.role,
        birth_date="14/03/2012",
        email="",
    )
    client.post(url, data)
    event = AuditEvent.objects.get(action=Action.ACCOUNT_EDITED, subject=pupil)
    assert event.actor == secretary and "last_name" in event.details["fields"]


def test_the_secretary_of_a_school_a_pupil_left_no_longer_manages_the_pupil(
    client, pupil, establishment, secretary
):
    """Her old school's secretary cannot mark her departed (it ended her new enrolment)."""
    new_school = EstablishmentFactory(name="Lycée Jean Moulin")
    Enrolment.objects.filter(user=pupil).update(left_at=timezone.now())
    Enrolment.objects.create(user=pupil, establishment=new_school, role=Role.PUPIL)
    assert pupil not in people_managed_by(secretary)
    client.force_login(secretary)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_departed", "_selected_action": [pupil.pk], "confirm": "yes"},
    )
    pupil.refresh_from_db()
    assert pupil.departed_at is None
    assert Enrolment.objects.get(user=pupil, establishment=new_school).left_at is None


def test_a_secretary_who_left_a_school_no_longer_manages_it(secretary, establishment):
    assert establishment in managed_establishments(secretary)
    Enrolment.objects.filter(user=secretary).update(left_at=timezone.now())
    assert establishment not in managed_establishments(secretary)


@pytest.fixture
def other_school_pupil(charter):
    """A pupil of another school, who accepted the charter from an address of their own."""
    other = UserFactory(activated=True, school_class=SchoolClassFactory(division="6e Z"))
    do_accept_charter(other, charter, ip="198.51.100.99", user_agent="Navigateur-Secret/1.0")
    return other


def test_charter_acceptances_of_another_school_are_not_shown(
    client, secretary, pupil, charter, other_school_pupil
):
    do_accept_charter(pupil, charter, ip="192.0.2.1")
    client.force_login(secretary)
    page = page_of(client.get(reverse("admin:charter_acceptance_changelist")))
    assert pupil.username in page
    assert other_school_pupil.username not in page and "198.51.100.99" not in page
    other = Acceptance.objects.get(user=other_school_pupil)
    assert client.get(reverse("admin:charter_acceptance_change", args=[other.pk])).status_code in (
        302,
        404,
    )


def test_the_marks_of_an_evaluation_refuse_a_pupil_of_another_school(
    client, secretary, pupil, school_class, other_school_pupil
):
    evaluation = Evaluation.objects.create(
        school_class=school_class,
        subject=Subject.objects.create(name="Mathématiques"),
        title="Fractions",
        date=timezone.localdate(),
    )
    client.force_login(secretary)
    url = reverse("admin:pronote_evaluation_change", args=[evaluation.pk])
    prefix = "marks"
    data = {
        "school_class": school_class.pk,
        "subject": evaluation.subject.pk,
        "title": "Fractions",
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "out_of": "20",
        "coefficient": "1",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-pupil": other_school_pupil.pk,
        f"{prefix}-0-value": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert not Mark.objects.exists()
    assert other_school_pupil.last_name not in page_of(response)


def test_a_secretary_cannot_rename_a_subject_shared_by_every_school(client, secretary):
    subject = Subject.objects.create(name="Mathématiques")
    client.force_login(secretary)
    url = reverse("admin:pronote_subject_change", args=[subject.pk])
    client.post(url, {"name": "Maths à Bruzet", "color": "#000000"})
    subject.refresh_from_db()
    assert subject.name == "Mathématiques"
    assert client.get(reverse("admin:pronote_subject_add")).status_code == 403


def test_filter_sidebars_list_only_her_own_school_and_classes(
    client, secretary, establishment, school_class
):
    other_class = SchoolClassFactory(division="6e Voisine")
    client.force_login(secretary)
    for url in [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:pronote_evaluation_changelist"),
        reverse("admin:pronote_lesson_changelist"),
        reverse("admin:schools_schoolclass_changelist"),
    ]:
        page = page_of(client.get(url))
        assert other_class.establishment.name not in page, url
        assert "6e Voisine" not in page, url


@pytest.mark.parametrize("query", ["classe=%C2%B2", "q=%00", "classe=%00"])
def test_odd_characters_in_the_funnel_are_not_a_server_error(client, secretary, query):
    client.force_login(secretary)
    response = client.get(reverse("funnel") + "?" + query)
    assert response.status_code in (200, 400)


def test_a_nul_byte_in_an_autocomplete_is_not_a_server_error(client, secretary):
    client.force_login(secretary)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "a\x00b", "app_label": "schools", "model_name": "enrolment", "field_name": "user"},
    )
    assert response.status_code in (200, 400, 403)


def test_reloading_compte_cree_does_not_create_the_pupil_twice(client, secretary, school_class):
    client.force_login(secretary)
    data = {
        "last_name": "Moreau",
        "first_name": "Hugo",
        "birth_date": "02/07/2012",
        "role": Role.PUPIL,
        "establishment": school_class.establishment.pk,
        "school_class": school_class.pk,
        "email": "",
    }
    first = client.post(reverse("admin:accounts_user_add"), data)
    assert "h.moreau1" in page_of(first)
    again = page_of(client.post(reverse("admin:accounts_user_add"), data))
    assert "a déjà un compte dans cet établissement : h.moreau1" in again
    assert not type(secretary).objects.filter(username="h.moreau2").exists()


def test_printing_letters_for_an_activated_pupil_says_so_and_the_funnel_follows(
    client, secretary, pupil, charter
):
    do_accept_charter(pupil, charter)
    FirstVisit.objects.create(user=pupil)
    client.force_login(secretary)
    action = {"action": "print_letters", "_selected_action": [pupil.pk]}
    page = page_of(client.post(reverse("admin:accounts_user_changelist"), action))
    assert "a déjà activé son compte" in page
    assert "le mot de passe qu'elle a choisi ne fonctionnera plus" in page
    do_issue_credentials(pupil, actor=secretary)
    funnel = page_of(client.get(reverse("funnel")))
    row = funnel[funnel.index(pupil.username) :][:600]
    assert "Courrier remis" in row and "PRONOTE ouvert" not in row


def test_a_csv_too_large_is_refused_by_its_size_before_it_is_read(
    client, secretary, establishment, settings, monkeypatch
):
    """A 100 MB upload once added 1.4 GB to a worker: the size decides, not the content."""
    import staff.imports

    settings.MAX_STAFF_UPLOAD_BYTES = 10 * 1024
    read = []
    monkeypatch.setattr(staff.imports, "plan_import", lambda *args: read.append(args))
    client.force_login(secretary)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("eleves.csv", b"Nom;Prenom\n" + b"x;y\n" * 5000)
    response = client.post(
        reverse("admin:accounts_user_import"),
        {"establishment": establishment.pk, "file": upload},
    )
    assert "Le fichier dépasse" in page_of(response)
    assert read == []
