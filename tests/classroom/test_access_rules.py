"""Who a teacher sees (schools/rules.py): their classes, in the school where they teach, and
the pupils of those classes; never another class, another school or a staff account. Every
page of the teacher's space answers 404 otherwise."""

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.models import Enrolment, Role
from schools.rules import classes_taught_by, pupils_taught_by
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory, teacher_of

CLASS_PAGES = ["seance", "live", "projection", "report", "letters", "reset"]


@pytest.fixture
def pupil(school_class):
    return UserFactory(provisional=True, school_class=school_class)


def test_a_teacher_teaches_their_classes_in_their_school_only(teacher, school_class):
    elsewhere = SchoolClassFactory()
    elsewhere.teachers.add(teacher)  # named there, but does not teach in that school
    assert list(classes_taught_by(teacher)) == [school_class]


def test_a_staff_account_teaches_nothing_even_named_as_teacher(secretary, school_class):
    school_class.teachers.add(secretary)
    assert not classes_taught_by(secretary).exists()


def test_the_pupils_are_those_of_the_class_never_staff_nor_another_school(
    teacher, school_class, pupil
):
    UserFactory(staff=True, school_class=school_class)  # a staff account, enrolled as a pupil
    also_elsewhere = UserFactory(provisional=True, school_class=school_class)
    Enrolment.objects.create(
        user=also_elsewhere, establishment=EstablishmentFactory(), role=Role.PUPIL
    )
    left = UserFactory(provisional=True, school_class=school_class)
    left.enrolments.update(left_at=timezone.now())
    assert list(pupils_taught_by(teacher)) == [pupil]


@pytest.mark.parametrize("name", CLASS_PAGES)
def test_another_teachers_class_is_a_404(client_teacher, school_class, name):
    other = SchoolClassFactory(establishment=school_class.establishment)
    teacher_of(other)
    assert client_teacher.get(reverse(f"classroom:{name}", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("name", CLASS_PAGES)
def test_another_schools_class_is_a_404(client_teacher, teacher, name):
    other = SchoolClassFactory()
    other.teachers.add(teacher)
    assert client_teacher.get(reverse(f"classroom:{name}", args=[other.pk])).status_code == 404


def test_a_real_class_cannot_be_deleted_from_the_teachers_space(client_teacher, school_class):
    url = reverse("classroom:delete", args=[school_class.pk])
    assert client_teacher.post(url, {"confirm": "yes"}).status_code == 404
    school_class.refresh_from_db()


def test_help_is_a_404_for_a_staff_account_enrolled_in_the_class(client_teacher, school_class):
    staff = UserFactory(staff=True, school_class=school_class, username="admin.cache")
    url = reverse("classroom:help", args=[school_class.pk, staff.pk])
    assert client_teacher.post(url, {"aide": "courrier"}).status_code == 404
    page = client_teacher.get(reverse("classroom:seance", args=[school_class.pk])).content
    assert b"admin.cache" not in page


def test_help_is_a_404_for_a_pupil_of_another_class(client_teacher, school_class):
    stranger = UserFactory(provisional=True, school_class=SchoolClassFactory())
    url = reverse("classroom:help", args=[school_class.pk, stranger.pk])
    assert client_teacher.post(url, {"aide": "debloquer"}).status_code == 404


def test_a_pupil_cannot_open_the_seance_of_their_own_class(client, school_class, pupil):
    client.force_login(pupil)
    assert client.get(reverse("classroom:seance", args=[school_class.pk])).status_code == 404
