"""The queries of every PRONOTE page and of its timetable, written once (bench/README.md).

Through the ORM, these three queries cost about five times their own time at each page: the
ORM compiles the SQL again at every request (≈ 0.25 to 0.3 ms each) and builds a model instance
for each lesson and its subject (sixty for a week of thirty lessons), where the page only reads
a few columns (bench/README.md). As in charter/rules.py, the SQL is written here once;
tests/pronote/test_queries.py checks each answer against the ORM's on the same data.

Rows come back as plain dicts: a template reads a dict's key in one lookup.
"""

from django.db import connection

from core.sql import fetch

# Has this user opened PRONOTE before (its first-connection page, pronote.views.home)?
FIRST_VISIT = "SELECT 1 FROM pronote_firstvisit WHERE user_id = %s"

# A class's weekly timetable, in the order of the week grid.
LESSONS = """
SELECT lesson.weekday, lesson.starts_at, lesson.ends_at, subject.name, lesson.teacher, lesson.room
FROM pronote_lesson lesson
JOIN pronote_subject subject ON subject.id = lesson.subject_id
WHERE lesson.school_class_id = %s
ORDER BY lesson.weekday, lesson.starts_at
"""

# The subjects of a class's homework due between two days.
HOMEWORK_DUE = """
SELECT homework.due_on, subject.name
FROM pronote_homework homework
JOIN pronote_subject subject ON subject.id = homework.subject_id
WHERE homework.school_class_id = %s AND homework.due_on BETWEEN %s AND %s
ORDER BY homework.due_on, subject.name
"""


def has_visited(user):
    return bool(fetch(FIRST_VISIT, [user.pk]))


def _hhmm(moment):
    return f"{moment.hour:02d}h{moment.minute:02d}"


def lessons_by_weekday(school_class_id):
    """{weekday: [lesson, …]} of a class, each lesson a dict: hours (« 08h30 – 09h25 »,
    written here rather than by the |time filter, twice per lesson, in the template), subject,
    teacher, room."""
    days = {}
    for weekday, starts_at, ends_at, subject, teacher, room in fetch(LESSONS, [school_class_id]):
        days.setdefault(weekday, []).append(
            {
                "hours": f"{_hhmm(starts_at)} – {_hhmm(ends_at)}",
                "subject": subject,
                "teacher": teacher,
                "room": room,
            }
        )
    return days


def homework_subjects_by_day(school_class_id, first_day, last_day):
    """{day: [subject name, …]} of the homework of a class due from first_day to last_day."""
    adapt = connection.ops.adapt_datefield_value
    days = {}
    for due_on, subject in fetch(
        HOMEWORK_DUE, [school_class_id, adapt(first_day), adapt(last_day)]
    ):
        days.setdefault(due_on, []).append(subject)
    return days
