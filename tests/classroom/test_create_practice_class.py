"""« Créer une classe d'entraînement » from « Mes classes »: invented pupils as varied as a
French class, each with a birth date, marked practice, followed by the teacher, audited."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.credentials import practice_password
from accounts.models import User
from audit.models import Action, AuditEvent
from classroom.actions import do_create_practice_class
from schools.models import Enrolment, Role, SchoolClass
from staff.management.commands.demo import PUPILS
from tests.factories import EstablishmentFactory, teacher_of
from tests.helpers import page_of


def token_of(client):
    """The one-time token of a freshly shown form."""
    form = client.get(reverse("classroom:create")).content.decode()
    return re.search(r'name="token" value="([^"]+)"', form).group(1)


def create(client, count, **extra):
    data = {"count": count, "token": token_of(client), **extra}
    return client.post(reverse("classroom:create"), data)


def test_it_creates_a_class_of_invented_pupils_that_the_teacher_follows(client_teacher, teacher):
    response = create(client_teacher, 30)
    school_class = SchoolClass.objects.get(practice=True)
    assert response["Location"] == reverse("classroom:seance", args=[school_class.pk])
    assert school_class.division == "Entraînement 1"
    assert school_class.establishment.name == "Collège Alfred Bruzet"
    assert re.fullmatch(r"[0-9a-f]{32}", school_class.letter_seed)
    days = (school_class.practice_until.date() - timezone.now().date()).days
    assert days == settings.PRACTICE_CLASS_DAYS
    assert list(school_class.teachers.all()) == [teacher]
    enrolments = Enrolment.objects.current().filter(school_class=school_class)
    assert enrolments.count() == 30
    assert set(enrolments.values_list("role", flat=True)) == {Role.PUPIL}
    event = AuditEvent.objects.get(action=Action.PRACTICE_CLASS_CREATED)
    assert event.actor == teacher and event.details["pupils"] == 30
    page = page_of(client_teacher.get(response["Location"]))
    assert "Imprimer les courriers" in page and "Entraînement" in page


def test_the_names_are_as_varied_as_a_french_class(client_teacher):
    create(client_teacher, 30)
    pupils = list(User.objects.filter(enrolments__school_class__practice=True))
    names = [f"{p.first_name} {p.last_name}" for p in pupils]
    assert len(set(names)) == 30
    assert any(c in "".join(names) for c in "éèëïüçÉ"), "accents"
    assert any("-" in p.first_name for p in pupils) or any("-" in p.last_name for p in pupils)
    assert any("'" in p.last_name for p in pupils), "apostrophes"
    assert any(" " in p.last_name for p in pupils), "particles"
    assert any(len(p.first_name) <= 3 for p in pupils) and any(len(n) >= 10 for n in names)
    demo = {(first, last) for _uai, _division, first, last, _birth in PUPILS}
    assert not demo & {(p.first_name, p.last_name) for p in pupils}


def test_each_pupil_has_a_different_birth_date_of_a_collegien(client_teacher):
    create(client_teacher, 40)
    today = timezone.localdate()
    dates = list(
        User.objects.filter(enrolments__school_class__practice=True).values_list(
            "birth_date", flat=True
        )
    )
    assert len(set(dates)) == 40
    for birth in dates:
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        assert 11 <= age <= 15, birth


def test_identifiers_are_made_as_for_real_pupils_and_letters_are_the_same_letters(teacher):
    establishment = teacher.enrolments.get().establishment
    school_class, issued = do_create_practice_class(establishment, 12, teacher=teacher)
    identifiers = [item.identifier for item in issued]
    assert len(set(identifiers)) == 12
    for item in issued:
        assert re.fullmatch(r"[a-z]\.[a-z]+[0-9]+", item.identifier), item.identifier
        assert item.password == practice_password(school_class.letter_seed, item.identifier)
        assert User.objects.get(pk=item.user.pk).check_password(item.password)
    issued_rows = AuditEvent.objects.filter(
        action=Action.CREDENTIALS_ISSUED, subject__username__in=identifiers
    )
    assert issued_rows.count() == 12


@pytest.mark.parametrize("count", ["0", "41", "-3", "trente", ""])
def test_it_refuses_a_count_outside_1_to_40_with_a_french_error(client_teacher, count):
    response = create(client_teacher, count)
    assert response.status_code == 200
    page = page_of(response)
    assert "field-errors" in page
    assert any(
        text in page
        for text in ["Au moins 1 élève", "Au plus 40 élèves", "nombre entier", "nombre d'élèves"]
    )
    assert not SchoolClass.objects.filter(practice=True).exists()


@pytest.mark.parametrize("count", [0, 41])
def test_the_action_refuses_a_count_outside_1_to_40(establishment, count):
    with pytest.raises(ValidationError, match="de 1 à 40"):
        do_create_practice_class(establishment, count)


def test_a_second_class_gets_the_next_free_name(client_teacher):
    create(client_teacher, 1)
    create(client_teacher, 1)
    assert set(SchoolClass.objects.filter(practice=True).values_list("division", flat=True)) == {
        "Entraînement 1",
        "Entraînement 2",
    }


def test_it_refuses_a_teacher_who_does_not_teach_in_that_school(school_class):
    elsewhere = teacher_of(establishment=EstablishmentFactory())
    with pytest.raises(ValidationError, match="n'enseigne pas"):
        do_create_practice_class(school_class.establishment, 2, teacher=elsewhere)
    assert not SchoolClass.objects.filter(practice=True).exists()


def test_it_cannot_create_in_a_school_where_the_teacher_does_not_teach(client_teacher):
    other = EstablishmentFactory()
    response = create(client_teacher, 2, establishment=other.pk)
    assert response.status_code == 200
    assert not SchoolClass.objects.filter(practice=True).exists()


def test_the_class_is_deleted_after_the_set_number_of_days(client_teacher):
    create(client_teacher, 1)
    until = SchoolClass.objects.get(practice=True).practice_until
    assert until > timezone.now() + timedelta(days=settings.PRACTICE_CLASS_DAYS - 1)


def test_a_double_submission_creates_one_class(client_teacher):
    data = {"count": 2, "token": token_of(client_teacher)}
    first = client_teacher.post(reverse("classroom:create"), data)
    again = client_teacher.post(reverse("classroom:create"), data)
    assert first["Location"] != again["Location"] == reverse("classroom:classes")
    assert SchoolClass.objects.filter(practice=True).count() == 1
    assert "Cette classe est déjà créée" in page_of(client_teacher.get(again["Location"]))
