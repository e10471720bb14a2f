import pytest
from django.urls import reverse

from charter.actions import do_accept_charter
from pronote.models import FirstVisit
from schools.models import Enrolment
from tests.helpers import page_of


@pytest.mark.parametrize(
    "url_name", ["pronote:timetable", "pronote:grades", "pronote:homework", "pronote:school_life"]
)
def test_staff_and_teachers_get_a_page_that_says_what_is_simulated(
    client, staff_user, charter, school_class, url_name
):
    Enrolment.objects.create(
        user=staff_user, establishment=school_class.establishment, role="personnel"
    )
    do_accept_charter(staff_user, charter)
    FirstVisit.objects.create(user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = page_of(response)
    assert "Cette simulation reproduit l'espace Élèves de PRONOTE" in page
    assert "4e B" in page and f"Classes — {school_class.establishment.name}" in page


def test_a_user_without_enrolment_gets_the_same_page_and_no_one_s_marks(
    client, staff_user, charter, school_class
):
    do_accept_charter(staff_user, charter)
    FirstVisit.objects.create(user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("pronote:grades"))
    page = page_of(response)
    assert response.templates[0].name == "pronote/not_a_pupil.html"
    assert "Cette simulation reproduit l'espace Élèves de PRONOTE" in page
    # Enrolled nowhere: no establishment's classes are listed.
    assert "4e B" not in page and "Classes —" not in page
