"""A realistic school week for each demo class: timetable, marks, homework, school life.

Called by ``manage.py demo`` (staff) once the demo schools and pupils exist. Idempotent: what
exists is kept; marks and events are drawn from a generator seeded by the pupil, so reruns agree.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from pronote.models import Evaluation, Homework, Lesson, Mark, SchoolLifeEvent, Subject
from schools.models import SchoolClass

SUBJECTS = {
    # name: colour
    "Français": "#6a6af4",
    "Mathématiques": "#009081",
    "Histoire-géographie": "#c3992a",
    "Anglais": "#ce614a",
    "Espagnol": "#e18b76",
    "SVT": "#68a532",
    "Physique-chimie": "#465f9d",
    "Technologie": "#8585f6",
    "EPS": "#d1b781",
    "Arts plastiques": "#a558a0",
    "Éducation musicale": "#cc0000",
    "SES": "#b34000",
    "SNT": "#3558a2",
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


@dataclass(frozen=True)
class Level:
    """What a class of this level has in PRONOTE: its teachers and rooms (subject → (teacher,
    room, said as on the timetable: « salle B14 », « gymnase »)), a week (Monday to Friday),
    its evaluations and its homework."""

    staff: dict
    week: list
    evaluations: list
    homework: list


COLLEGE = Level(
    staff={
        "Français": ("Mme Roux", "salle B12"),
        "Mathématiques": ("M. Garcia", "salle B14"),
        "Histoire-géographie": ("Mme Bernard", "salle C03"),
        "Anglais": ("Mme Lefèvre", "salle C07"),
        "Espagnol": ("M. Ortega", "salle C08"),
        "SVT": ("Mme Petit", "labo 1"),
        "Physique-chimie": ("M. Moreau", "labo 2"),
        "Technologie": ("M. Fournier", "salle de technologie"),
        "EPS": ("Mme Girard", "gymnase"),
        "Arts plastiques": ("Mme Bonnet", "salle d'arts plastiques"),
        "Éducation musicale": ("M. Lambert", "salle de musique"),
    },
    # Wednesday afternoon is free, as in most collèges.
    week=[
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
    ],
    evaluations=[
        ("Mathématiques", "Contrôle : fractions", 20, Decimal(2), 24),
        ("Mathématiques", "Interrogation : calcul mental", 10, Decimal(1), 10),
        ("Français", "Rédaction : un récit d'aventure", 20, Decimal(2), 20),
        ("Français", "Dictée", 20, Decimal(1), 6),
        ("Anglais", "Compréhension orale", 20, Decimal(1), 16),
        ("Histoire-géographie", "Croquis : la France", 20, Decimal(1), 13),
        ("SVT", "Interrogation : la digestion", 20, Decimal(1), 9),
        ("Physique-chimie", "TP : mélanges et solutions", 20, Decimal(1), 3),
    ],
    homework=[
        ("Mathématiques", 1, "Exercices 12 et 13 page 84."),
        ("Français", 2, "Lire le chapitre 3 du roman et noter trois questions."),
        ("Anglais", 3, "Apprendre le vocabulaire de l'unité 4."),
        ("Histoire-géographie", 5, "Terminer le croquis commencé en classe."),
        ("SVT", 6, "Réviser la digestion : interrogation."),
    ],
)

LYCEE = Level(
    staff={
        "Français": ("M. Delmas", "salle A21"),
        "Mathématiques": ("Mme Nguyen", "salle A24"),
        "Histoire-géographie": ("M. Carrère", "salle A12"),
        "Anglais": ("Mme O'Brien", "salle B05"),
        "Espagnol": ("Mme Alonso", "salle B06"),
        "SVT": ("M. Perrin", "labo de SVT"),
        "Physique-chimie": ("Mme Sabatier", "labo de physique-chimie"),
        "SES": ("M. Benoît", "salle A30"),
        "SNT": ("Mme Castel", "salle informatique"),
        "EPS": ("M. Roques", "stade"),
    },
    # A lycée's week: longer days, Wednesday morning only.
    week=[
        ["Mathématiques", "Mathématiques", "Français", "SES", "Anglais", "Physique-chimie", "SVT"],
        ["Histoire-géographie", "Français", "SNT", "Espagnol", "EPS", "EPS"],
        ["Physique-chimie", "Mathématiques", "Anglais", "Histoire-géographie"],
        ["SES", "Français", "Espagnol", "Mathématiques", "SVT", "SNT", "Anglais"],
        ["Français", "Physique-chimie", "Histoire-géographie", "Mathématiques", "SES"],
    ],
    evaluations=[
        ("Mathématiques", "Contrôle : fonctions affines", 20, Decimal(2), 22),
        ("Mathématiques", "Interrogation : vecteurs", 10, Decimal(1), 8),
        ("Français", "Commentaire : un poème de Baudelaire", 20, Decimal(2), 18),
        ("SES", "Interrogation : le marché", 20, Decimal(1), 12),
        ("SNT", "Projet : une page web", 20, Decimal(1), 15),
        ("Physique-chimie", "TP : dosage par étalonnage", 20, Decimal(1), 5),
        ("Anglais", "Expression écrite", 20, Decimal(1), 11),
        ("Histoire-géographie", "Composition : la Méditerranée médiévale", 20, Decimal(2), 4),
    ],
    homework=[
        ("Physique-chimie", 1, "Finir le compte rendu du TP de dosage."),
        ("SES", 2, "Lire le dossier 2 et répondre aux questions 1 à 4."),
        ("Mathématiques", 3, "Exercices 45 à 48 page 112 (fonctions)."),
        ("SNT", 4, "Terminer la page web : ajouter une image et un lien."),
        ("Français", 6, "Lire « Les Fleurs du mal », section « Spleen et Idéal »."),
    ],
)


def plain_spaces(text):
    """``text`` as the demo wrote it before French typography (« Contrôle : fractions »)."""
    return text.replace("\u00a0", " ")


def level_of(school_class) -> Level:
    """A lycée's class (2nde, 1re, Tle) or a collège's (6e to 3e)."""
    division = school_class.division.lower()
    return LYCEE if division.startswith(("2", "1", "t")) else COLLEGE


def week_of(school_class, position) -> list:
    """The level's week, turned by the class's position among its level's classes: two
    classes of one level (two siblings in one school) never share a week."""
    week = level_of(school_class).week
    shift = position % len(week)
    return week[shift:] + week[:shift]


def seed_demo(*, establishments, pupils):
    subjects = {
        name: Subject.objects.get_or_create(name=name, defaults={"color": colour})[0]
        for name, colour in SUBJECTS.items()
    }
    today = timezone.localdate()
    positions = {}
    classes = SchoolClass.objects.filter(establishment__in=establishments).order_by(
        "establishment__uai", "division"
    )
    for school_class in classes:
        level = level_of(school_class)
        position = positions[id(level)] = positions.get(id(level), -1) + 1
        _timetable(school_class, subjects, position)
        _evaluations(school_class, subjects, today)
        _homework(school_class, subjects, today)
    for pupil in pupils:
        enrolment = pupil.enrolments.current().select_related("school_class").first()
        if enrolment and enrolment.school_class:
            _marks(pupil, enrolment.school_class)
            _school_life(pupil, today)


def _timetable(school_class, subjects, position):
    if Lesson.objects.filter(school_class=school_class).exists():
        return
    staff = level_of(school_class).staff
    Lesson.objects.bulk_create(
        Lesson(
            school_class=school_class,
            subject=subjects[name],
            teacher=staff[name][0],
            room=staff[name][1],
            weekday=weekday,
            starts_at=SLOTS[slot][0],
            ends_at=SLOTS[slot][1],
        )
        for weekday, names in enumerate(week_of(school_class, position))
        for slot, name in enumerate(names)
    )


def _evaluations(school_class, subjects, today):
    for subject, title, out_of, coefficient, days_ago in level_of(school_class).evaluations:
        # A database seeded before the titles had their non-breaking spaces: renamed, not doubled.
        Evaluation.objects.filter(
            school_class=school_class, subject=subjects[subject], title=plain_spaces(title)
        ).exclude(title=title).update(title=title)
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
    for *_, description in level_of(school_class).homework:
        Homework.objects.filter(
            school_class=school_class, description=plain_spaces(description)
        ).exclude(description=description).update(description=description)
    if Homework.objects.filter(school_class=school_class, due_on__gte=today).exists():
        return
    for subject, days_ahead, description in level_of(school_class).homework:
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
