from django.urls import reverse

from pronote.actions import do_record_first_visit
from pronote.models import FirstVisit
from tests.helpers import page_of


def test_the_first_visit_shows_the_first_connection_page(accepted, pupil):
    response = accepted.get(reverse("pronote:home"))
    assert response.status_code == 200
    assert "C'est votre première connexion à PRONOTE" in page_of(response)
    assert not FirstVisit.objects.exists()


def test_continuing_records_the_first_visit_and_opens_the_timetable(accepted, pupil):
    response = accepted.post(reverse("pronote:home"))
    assert response["Location"] == reverse("pronote:timetable")
    assert FirstVisit.objects.filter(user=pupil).count() == 1
    assert accepted.get(reverse("pronote:home"))["Location"] == reverse("pronote:timetable")


def test_the_sections_wait_for_the_first_connection_page(accepted):
    response = accepted.get(reverse("pronote:grades"))
    assert response["Location"] == reverse("pronote:home")


def test_a_second_continue_keeps_the_time_of_the_first(pupil):
    """Two tabs, or a double click: one row, with the first time."""
    first = do_record_first_visit(pupil)
    again = do_record_first_visit(pupil)
    assert again.pk == first.pk and again.at == first.at
    assert FirstVisit.objects.filter(user=pupil).count() == 1
