from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import SchoolClassFactory
from tests.helpers import page_of


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


def test_every_day_of_the_week_shows_its_own_lessons_and_homework(
    in_pronote, timetable, school_class, subjects
):
    """Monday to Friday each show their lessons and homework; Saturday's is on no day."""
    from pronote.models import Homework, Lesson

    monday = monday_of(timezone.localdate() + timedelta(days=7))
    for weekday, teacher in [(3, "Mme Smith"), (4, "M. Leroy")]:
        Lesson.objects.create(
            school_class=school_class,
            subject=subjects["Anglais"],
            teacher=teacher,
            room="C3",
            weekday=weekday,
            starts_at="14:00",
            ends_at="14:55",
        )
    for days, subject in [(3, "Anglais"), (4, "Mathématiques"), (5, "Français")]:
        Homework.objects.create(
            school_class=school_class,
            subject=subjects[subject],
            due_on=monday + timedelta(days=days),
            description="Exercices",
        )
    response = in_pronote.get(reverse("pronote:timetable"), {"semaine": week(monday)})
    grid = [
        (
            day["date"],
            [lesson["teacher"] for lesson in day["lessons"]],
            day["homework"],  # the subjects of the homework due that day
        )
        for day in response.context["days"]
    ]
    assert grid == [
        (monday, ["M. Garcia"], []),
        (monday + timedelta(days=1), [], []),
        (monday + timedelta(days=2), ["Mme Roux"], []),
        (monday + timedelta(days=3), ["Mme Smith"], ["Anglais"]),
        (monday + timedelta(days=4), ["M. Leroy"], ["Mathématiques"]),
    ]
    html = page_of(response)
    assert "Mme Smith" in html and "M. Leroy" in html
    assert html.count("Pour ce jour :") == 2


def test_weeks_at_the_edges_of_the_calendar_are_refused_clearly(in_pronote, timetable):
    for week_param in ["0001-W01", "9999-W52", "2026-W00"]:
        response = in_pronote.get(
            reverse("pronote:timetable"), {"semaine": week_param}, follow=True
        )
        assert response.status_code == 200
        assert "Semaine inconnue" in response.content.decode()
