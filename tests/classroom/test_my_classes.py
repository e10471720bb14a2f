"""« Mes classes »: a teacher's real and practice classes, and the address pupils type; for
teachers only."""

from django.urls import reverse
from django.utils import timezone

from tests.factories import ParentFactory, SchoolClassFactory, UserFactory, teacher_of
from tests.helpers import page_of


def test_it_lists_the_teachers_real_and_practice_classes(client_teacher, practice):
    practice_class, _letters = practice
    page = page_of(client_teacher.get(reverse("classroom:classes")))
    assert "4e B" in page and "Entraînement 1" in page
    assert "Entraînement</span>" in page
    until = timezone.localtime(practice_class.practice_until).strftime("%d/%m/%Y")
    assert f"classe supprimée le {until}" in page
    assert "http://testserver/" in page  # the address pupils type
    assert "Collège Alfred Bruzet — 3 élèves" in page


def test_it_shows_the_configured_public_address(client_teacher, settings):
    settings.PUBLIC_URL = "http://192.168.1.20:8080"
    page = page_of(client_teacher.get(reverse("classroom:classes")))
    assert "http://192.168.1.20:8080/" in page


def test_another_teachers_class_is_not_listed(client_teacher, school_class):
    other = SchoolClassFactory(establishment=school_class.establishment, division="3e A")
    teacher_of(other)
    page = page_of(client_teacher.get(reverse("classroom:classes")))
    assert "3e A" not in page


def test_it_is_a_404_for_a_pupil_a_parent_and_staff(client, school_class, secretary):
    pupil = UserFactory(activated=True, school_class=school_class)
    parent = ParentFactory(activated=True, children=[pupil])
    for person in [pupil, parent, secretary]:
        client.force_login(person)
        assert client.get(reverse("classroom:classes")).status_code == 404, person


def test_a_teacher_who_left_the_school_is_refused(client, teacher):
    teacher.enrolments.update(left_at=timezone.now())
    client.force_login(teacher)
    assert client.get(reverse("classroom:classes")).status_code == 404


def test_it_asks_to_sign_in_first_on_the_staff_page(client, db):
    response = client.get(reverse("classroom:classes"))
    assert response.status_code == 302 and reverse("accounts:staff_login") in response["Location"]
