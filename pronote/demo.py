"""A realistic school week for each demo class: timetable, marks, homework, school life.

Called by ``manage.py demo`` (staff) once the demo schools and pupils exist. Idempotent: what
exists is kept; marks and events are drawn from a generator seeded by the pupil, so reruns agree.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from pronote.models import Evaluation, Homework, Lesson, Mark, SchoolLifeEvent, Subject
from schools.models import SchoolClass

SUBJECTS = {
    # name: (colour, teacher, room)
    "Français": ("#6a6af4", "Mme Roux", "B12"),
    "Mathématiques": ("#009081", "M. Garcia", "B14"),
    "Histoire-géographie": ("#c3992a", "Mme Bernard", "C03"),
    "Anglais": ("#ce614a", "Mme Lefèvre", "C07"),
    "Espagnol": ("#e18b76", "M. Ortega", "C08"),
    "SVT": ("#68a532", "Mme Petit", "Labo 1"),
    "Physique-chimie": ("#465f9d", "M. Moreau", "Labo 2"),
    "Technologie": ("#8585f6", "M. Fournier", "Techno"),
    "EPS": ("#d1b781", "Mme Girard", "Gymnase"),
    "Arts plastiques": ("#a558a0", "Mme Bonnet", "Arts"),
    "Éducation musicale": ("#cc0000", "M. Lambert", "Musique"),
}

SLOTS = [
    (time(8, 0), time(8, 55)),
    (time(9, 0), time(9, 55)),
    (time(10, 10), time(11, 5)),
    (time(11, 10), time(12, 5)),
    (time(13, 30), time(14, 25)),
    (time(14, 30), time(15, 25)),
    (time(15, 40), time(16, 35)),
]

# Monday to Friday; Wednesday afternoon is free, as in most collèges.
WEEK = [
    ["Français", "Mathématiques", "Anglais", "Histoire-géographie", "SVT", "EPS", "EPS"],
    ["Mathématiques", "Physique-chimie", "Français", "Espagnol", "Technologie", "Anglais"],
    ["Histoire-géographie", "Français", "Mathématiques", "Arts plastiques"],
    ["Anglais", "Espagnol", "Mathématiques", "Français", "Éducation musicale", "SVT"],
    [
        "Physique-chimie",
        "Histoire-géographie",
        "Français",
        "Technologie",
        "Mathématiques",
        "Espagnol",
    ],
]

EVALUATIONS = [
    ("Mathématiques", "Contrôle : fractions", 20, Decimal(2), 24),
    ("Mathématiques", "Interrogation : calcul mental", 10, Decimal(1), 10),
    ("Français", "Rédaction : un récit d'aventure", 20, Decimal(2), 20),
    ("Français", "Dictée", 20, Decimal(1), 6),
    ("Anglais", "Compréhension orale", 20, Decimal(1), 16),
    ("Histoire-géographie", "Croquis : la France", 20, Decimal(1), 13),
    ("SVT", "Interrogation : la digestion", 20, Decimal(1), 9),
    ("Physique-chimie", "TP : mélanges et solutions", 20, Decimal(1), 3),
]

HOMEWORK = [
    ("Mathématiques", 1, "Exercices 12 et 13 page 84."),
    ("Français", 2, "Lire le chapitre 3 du roman et noter trois questions."),
    ("Anglais", 3, "Apprendre le vocabulaire de l'unité 4."),
    ("Histoire-géographie", 5, "Terminer le croquis commencé en classe."),
    ("SVT", 6, "Réviser la digestion : interrogation."),
]


def seed_demo(*, establishments, pupils):
    subjects = {
        name: Subject.objects.get_or_create(name=name, defaults={"color": colour})[0]
        for name, (colour, _teacher, _room) in SUBJECTS.items()
    }
    today = timezone.localdate()
    for school_class in SchoolClass.objects.filter(establishment__in=establishments):
        _timetable(school_class, subjects)
        _evaluations(school_class, subjects, today)
        _homework(school_class, subjects, today)
    for pupil in pupils:
        enrolment = pupil.enrolments.current().select_related("school_class").first()
        if enrolment and enrolment.school_class:
            _marks(pupil, enrolment.school_class)
            _school_life(pupil, today)


def _timetable(school_class, subjects):
    if Lesson.objects.filter(school_class=school_class).exists():
        return
    Lesson.objects.bulk_create(
        Lesson(
            school_class=school_class,
            subject=subjects[name],
            teacher=SUBJECTS[name][1],
            room=SUBJECTS[name][2],
            weekday=weekday,
            starts_at=SLOTS[slot][0],
            ends_at=SLOTS[slot][1],
        )
        for weekday, names in enumerate(WEEK)
        for slot, name in enumerate(names)
    )


def _evaluations(school_class, subjects, today):
    for subject, title, out_of, coefficient, days_ago in EVALUATIONS:
        Evaluation.objects.get_or_create(
            school_class=school_class,
            subject=subjects[subject],
            title=title,
            defaults={
                "date": today - timedelta(days=days_ago),
                "out_of": out_of,
                "coefficient": coefficient,
            },
        )


def _marks(pupil, school_class):
    rng = random.Random(pupil.username)  # noqa: S311 - demo data, not security
    for evaluation in Evaluation.objects.filter(school_class=school_class).order_by("pk"):
        draw = rng.random()
        if draw < 0.05:
            value = None  # absent
        else:
            value = Decimal(round(evaluation.out_of * (0.35 + 0.6 * rng.random()) * 2) / 2)
        Mark.objects.get_or_create(evaluation=evaluation, pupil=pupil, defaults={"value": value})


def _homework(school_class, subjects, today):
    if Homework.objects.filter(school_class=school_class, due_on__gte=today).exists():
        return
    for subject, days_ahead, description in HOMEWORK:
        due = today + timedelta(days=days_ahead)
        while due.weekday() >= 5:
            due += timedelta(days=1)
        Homework.objects.create(
            school_class=school_class,
            subject=subjects[subject],
            given_on=today,
            due_on=due,
            description=description,
        )


def _school_life(pupil, today):
    if SchoolLifeEvent.objects.filter(pupil=pupil).exists():
        return
    rng = random.Random(f"vie-scolaire-{pupil.username}")  # noqa: S311 - demo data
    tz = timezone.get_current_timezone()
    for index in range(rng.randint(0, 2)):
        day = today - timedelta(days=7 * (index + 1) + rng.randint(0, 4))
        start = datetime.combine(day, time(8, 0), tz)
        SchoolLifeEvent.objects.create(
            pupil=pupil,
            kind=SchoolLifeEvent.Kind.ABSENCE,
            starts_at=start,
            ends_at=start.replace(hour=12, minute=5),
            justified=rng.random() < 0.6,
            reason=rng.choice(["Maladie", "Rendez-vous médical", ""]),
        )
    for index in range(rng.randint(0, 2)):
        day = today - timedelta(days=3 * (index + 1))
        SchoolLifeEvent.objects.create(
            pupil=pupil,
            kind=SchoolLifeEvent.Kind.LATENESS,
            starts_at=datetime.combine(day, time(8, 0), tz),
            minutes=rng.choice([5, 10, 15]),
            justified=rng.random() < 0.3,
            reason=rng.choice(["Transport scolaire", ""]),
        )
