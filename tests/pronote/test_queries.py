"""PRONOTE's queries written once in SQL (pronote/queries.py) answer as the ORM does."""

from datetime import time, timedelta

from django.utils import timezone

from pronote.models import FirstVisit, Homework, Lesson, Subject
from pronote.queries import (
    FIRST_VISIT,
    HOMEWORK_DUE,
    LESSONS,
    has_visited,
    homework_subjects_by_day,
    lessons_by_weekday,
)
from tests.factories import SchoolClassFactory, UserFactory


def test_the_sql_reads_the_models_tables():
    assert f"FROM {FirstVisit._meta.db_table} " in FIRST_VISIT
    for sql, model in [(LESSONS, Lesson), (HOMEWORK_DUE, Homework)]:
        assert f"FROM {model._meta.db_table} " in sql
        assert f"JOIN {Subject._meta.db_table} " in sql


def test_a_first_visit_is_ones_own(pupil, db, django_assert_num_queries):
    other = UserFactory()
    FirstVisit.objects.create(user=other)
    with django_assert_num_queries(1):
        assert not has_visited(pupil)
    FirstVisit.objects.create(user=pupil)
    assert has_visited(pupil)


def test_the_lessons_are_the_orms_in_the_same_order(school_class, subjects):
    other_class = SchoolClassFactory(division="3e Z")
    # Written out of order, in two classes, two lessons on the same day.
    for school_class_, subject, weekday, hour, teacher in [
        (school_class, "Français", 3, 14, "Mme Roux"),
        (school_class, "Mathématiques", 0, 10, "M. Garcia"),
        (other_class, "Anglais", 0, 9, "Mme Autre"),
        (school_class, "Anglais", 0, 8, "Mme Smith"),
        (school_class, "Mathématiques", 4, 15, "M. Garcia"),
    ]:
        Lesson.objects.create(
            school_class=school_class_,
            subject=subjects[subject],
            teacher=teacher,
            room="B14",
            weekday=weekday,
            starts_at=time(hour, 5),
            ends_at=time(hour + 1),
        )
    expected = {}
    for lesson in (
        Lesson.objects.filter(school_class=school_class)
        .select_related("subject")
        .order_by("weekday", "starts_at")
    ):
        expected.setdefault(lesson.weekday, []).append(
            {
                "hours": f"{lesson.starts_at:%H}h{lesson.starts_at:%M} – "
                f"{lesson.ends_at:%H}h{lesson.ends_at:%M}",
                "subject": lesson.subject.name,
                "teacher": lesson.teacher,
                "room": lesson.room,
            }
        )
    assert lessons_by_weekday(school_class.pk) == expected
    assert list(expected) == [0, 3, 4]
    assert [lesson["teacher"] for lesson in expected[0]] == ["Mme Smith", "M. Garcia"]
    assert expected[0][0]["hours"] == "08h05 – 09h00"
    assert lessons_by_weekday(SchoolClassFactory(division="6e A").pk) == {}


def test_the_homework_is_the_orms_from_monday_to_friday(school_class, subjects):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    friday = monday + timedelta(days=4)
    other_class = SchoolClassFactory(division="3e Z")
    for school_class_, subject, days in [
        (school_class, "Mathématiques", 4),  # Friday: the last day counts
        (school_class, "Anglais", 0),  # Monday: the first day counts
        (school_class, "Français", 4),
        (school_class, "Anglais", -1),  # Sunday before, Saturday after: not this week
        (school_class, "Anglais", 5),
        (other_class, "Français", 2),
    ]:
        Homework.objects.create(
            school_class=school_class_,
            subject=subjects[subject],
            due_on=monday + timedelta(days=days),
            description="Exercices",
        )
    expected = {}
    for item in (
        Homework.objects.filter(school_class=school_class, due_on__range=(monday, friday))
        .select_related("subject")
        .order_by("due_on", "subject__name")
    ):
        expected.setdefault(item.due_on, []).append(item.subject.name)
    assert homework_subjects_by_day(school_class.pk, monday, friday) == expected
    assert expected == {monday: ["Anglais"], friday: ["Français", "Mathématiques"]}
