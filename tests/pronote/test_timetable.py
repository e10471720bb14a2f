from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import SchoolClassFactory


def monday_of(day):
    return day - timedelta(days=day.weekday())


def week(day):
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def test_the_week_grid_shows_the_class_lessons(in_pronote, timetable):
    monday = monday_of(timezone.localdate() + timedelta(days=7))
    page = in_pronote.get(reverse("pronote:timetable"), {"semaine": week(monday)})
    html = page.content.decode()
    assert "Mathématiques" in html and "M. Garcia" in html and "B14" in html
    assert "08h00 – 08h55" in html
    assert "Français" in html and "Mme Roux" in html
    assert f"Semaine du {monday.day} " in html


def test_previous_and_next_week_links(in_pronote, timetable):
    monday = monday_of(timezone.localdate() + timedelta(days=14))
    html = in_pronote.get(reverse("pronote:timetable"), {"semaine": week(monday)}).content.decode()
    assert f"?semaine={week(monday - timedelta(days=7))}" in html
    assert f"?semaine={week(monday + timedelta(days=7))}" in html


def test_an_unknown_week_falls_back_to_this_week_with_a_message(in_pronote, timetable):
    response = in_pronote.get(reverse("pronote:timetable"), {"semaine": "2026-W99"}, follow=True)
    assert response.status_code == 200
    assert "Semaine inconnue" in response.content.decode()


def test_another_class_lessons_are_not_shown(in_pronote, timetable, subjects):
    from pronote.models import Lesson

    other = SchoolClassFactory(division="3e Z")
    Lesson.objects.create(
        school_class=other,
        subject=subjects["Anglais"],
        teacher="Mme Autre",
        room="Z9",
        weekday=1,
        starts_at="09:00",
        ends_at="09:55",
    )
    html = in_pronote.get(reverse("pronote:timetable")).content.decode()
    assert "Mme Autre" not in html


def test_homework_due_this_week_is_flagged(in_pronote, timetable, homework):
    due = homework[0].due_on
    html = in_pronote.get(reverse("pronote:timetable"), {"semaine": week(due)}).content.decode()
    if due.weekday() < 5:
        assert "Pour ce jour :" in html


def test_weeks_at_the_edges_of_the_calendar_are_refused_clearly(in_pronote, timetable):
    for week_param in ["0001-W01", "9999-W52", "2026-W00"]:
        response = in_pronote.get(
            reverse("pronote:timetable"), {"semaine": week_param}, follow=True
        )
        assert response.status_code == 200
        assert "Semaine inconnue" in response.content.decode()
