from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from pronote.models import SchoolLifeEvent
from tests.factories import UserFactory
from tests.helpers import page_of


def test_homework_is_listed_by_due_date_without_past_work(in_pronote, homework):
    page = page_of(in_pronote.get(reverse("pronote:homework")))
    assert "Apprendre le vocabulaire de l'unité 4." in page
    assert "Un travail déjà passé." not in page


def test_school_life_shows_only_ones_own_absences_and_lateness(in_pronote, pupil):
    now = timezone.now()
    SchoolLifeEvent.objects.create(
        pupil=pupil,
        kind="absence",
        starts_at=now - timedelta(days=3),
        justified=True,
        reason="Rendez-vous médical",
    )
    SchoolLifeEvent.objects.create(
        pupil=pupil,
        kind="retard",
        starts_at=now - timedelta(days=1),
        minutes=10,
        reason="Transport scolaire",
    )
    SchoolLifeEvent.objects.create(
        pupil=UserFactory(), kind="absence", starts_at=now, reason="Absence d'un autre élève"
    )
    page = page_of(in_pronote.get(reverse("pronote:school_life")))
    assert "1 absence" in page and "1 retard" in page
    assert "Rendez-vous médical" in page and "10 min" in page
    assert "Absence d'un autre élève" not in page


def test_the_pages_cost_few_queries(
    in_pronote, pupil, homework, timetable, django_assert_max_num_queries
):
    for index in range(20):
        SchoolLifeEvent.objects.create(
            pupil=pupil,
            kind="retard",
            starts_at=timezone.now() - timedelta(days=index),
            minutes=5,
        )
    for name in ["pronote:homework", "pronote:school_life", "pronote:timetable"]:
        with django_assert_max_num_queries(8):
            assert in_pronote.get(reverse(name)).status_code == 200
