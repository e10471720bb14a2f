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
    assert "4e B" in page


def test_a_user_without_enrolment_gets_the_same_page(client, staff_user, charter):
    do_accept_charter(staff_user, charter)
    FirstVisit.objects.create(user=staff_user)
    client.force_login(staff_user)
    assert client.get(reverse("pronote:grades")).status_code == 200
