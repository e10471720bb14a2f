from datetime import time, timedelta

import pytest
from django.utils import timezone

from pronote.models import FirstVisit, Homework, Lesson, Subject


@pytest.fixture
def in_pronote(accepted, pupil):
    """The pupil's client, charter accepted and first PRONOTE visit done."""
    FirstVisit.objects.create(user=pupil)
    return accepted


@pytest.fixture
def subjects(db):
    return {
        name: Subject.objects.create(name=name) for name in ["Mathématiques", "Français", "Anglais"]
    }


@pytest.fixture
def timetable(school_class, subjects):
    return [
        Lesson.objects.create(
            school_class=school_class,
            subject=subjects["Mathématiques"],
            teacher="M. Garcia",
            room="B14",
            weekday=0,
            starts_at=time(8),
            ends_at=time(8, 55),
        ),
        Lesson.objects.create(
            school_class=school_class,
            subject=subjects["Français"],
            teacher="Mme Roux",
            room="B12",
            weekday=2,
            starts_at=time(10, 10),
            ends_at=time(11, 5),
        ),
    ]


@pytest.fixture
def homework(school_class, subjects):
    today = timezone.localdate()
    return [
        Homework.objects.create(
            school_class=school_class,
            subject=subjects["Anglais"],
            due_on=today + timedelta(2),
            description="Apprendre le vocabulaire de l'unité 4.",
        ),
        Homework.objects.create(
            school_class=school_class,
            subject=subjects["Français"],
            due_on=today - timedelta(1),
            description="Un travail déjà passé.",
        ),
    ]
