"""Each page costs the same number of queries whatever the data behind it (bench/README.md): the
session's user, the charter gate (one EXISTS), the enrolment, then the page's own."""

from datetime import time

import pytest
from django.urls import reverse

from pronote.models import FirstVisit, Lesson, Subject

PAGES = {
    "portal:services": 2,  # user, enrolment
    "portal:ent_home": 4,  # user, charter gate, enrolments, « Mes applications » (idp)
    "pronote:timetable": 6,  # user, gate, first visit, enrolment, lessons, homework
}


@pytest.mark.parametrize(("name", "queries"), PAGES.items())
def test_a_page_costs_a_constant_number_of_queries(
    accepted, pupil, school_class, django_assert_num_queries, name, queries
):
    from django.conf import settings

    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        queries += 1  # without REDIS_URL the session itself is a query
    FirstVisit.objects.create(user=pupil)
    accepted.get(reverse(name))  # warm (session, caches)
    with django_assert_num_queries(queries):
        assert accepted.get(reverse(name)).status_code == 200
    subject = Subject.objects.create(name="Mathématiques")
    for weekday in range(5):  # a full week of lessons: still the same count
        for hour in range(8, 16):
            Lesson.objects.create(
                school_class=school_class,
                subject=subject,
                teacher="M. Garcia",
                room="B14",
                weekday=weekday,
                starts_at=time(hour),
                ends_at=time(hour, 55),
            )
    with django_assert_num_queries(queries):
        assert accepted.get(reverse(name)).status_code == 200
