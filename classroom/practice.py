"""Invented pupils for a practice class: names as varied as a French class (accents, hyphens,
apostrophes, particles, short and long) and birth dates of collégiens, so that a lesson needs
no real child's data. No surname is one of the demo's pupils' (``manage.py demo``): an invented
pupil is never taken for a demo one."""

import secrets
from datetime import date, timedelta

from django.utils import timezone

# Each list is one kind; the first pupils of a class take one of each kind in turn, so that
# even a small class meets accents, hyphens and apostrophes.
FIRST_NAMES = [
    ["Zoé", "Aëlys", "Maëlle", "Noé", "Inès", "Éloïse", "Anaïs", "Gaëtan", "Loïc", "Cléa"],
    ["Jean-Baptiste", "Marie-Ange", "Anne-Sophie", "Pierre-Louis", "Marie-Lou", "Louis-Marie"],
    ["Li", "Bo", "Lou", "Ali", "Ian", "Mia"],
    ["Maximilien", "Clémentine", "Gwendoline", "Séraphine", "Apolline", "Barnabé"],
    ["Nathan", "Sarah", "Adam", "Hugo", "Camille", "Rayan", "Emma", "Lucie", "Sacha", "Amir"],
    ["Yasmine", "Kylian", "Jules", "Aya", "Gabriel", "Nour"],
]
LAST_NAMES = [
    ["N'Diaye", "D'Almeida", "L'Hermite", "D'Angelo", "O'Brien", "N'Guessan"],
    ["Lefèvre-Dubois", "Durand-Moreau", "Bernard-Petit", "Garnier-Haddad", "Rossi-Lemaire"],
    ["Ben Saïd", "Da Silva", "Le Bihan", "Dos Santos", "El Amrani", "Le Roux", "Van Damme"],
    ["Béranger", "Guérin", "Pérès", "Hébert", "Brûlé", "Noël", "Lefèvre", "Ménard"],
    ["Ly", "Wu", "Vandenbroucke", "Montgolfier", "Bé"],
    ["Moreau", "Laurent", "Girard", "Bonnet", "Mercier", "Fontaine", "Chevalier", "Robin"],
    ["Gauthier", "Perrin", "Morel", "Lambert", "Colin", "Roche"],
]

MAX_PUPILS = 40
YOUNGEST, OLDEST = 11, 15  # collège ages, on the day the class is made

_random = secrets.SystemRandom()


def _interleaved(kinds):
    """Every name of ``kinds``, shuffled within each kind, then taken one kind after another."""
    pools = [_random.sample(kind, len(kind)) for kind in kinds]
    _random.shuffle(pools)
    names = []
    while any(pools):
        for pool in pools:
            if pool:
                names.append(pool.pop())
    return names


def invented_names(count):
    """``count`` (at most MAX_PUPILS) distinct (first name, last name) pairs."""
    firsts, lasts = _interleaved(FIRST_NAMES), _interleaved(LAST_NAMES)
    return list(zip(firsts[:count], lasts[:count], strict=True))


def invented_birth_dates(count, today=None):
    """``count`` different birth dates of pupils aged YOUNGEST to OLDEST today."""
    today = today or timezone.localdate()
    latest = _years_before(today, YOUNGEST)
    earliest = _years_before(today, OLDEST + 1) + timedelta(days=1)
    span = (latest - earliest).days
    days = _random.sample(range(span + 1), count)
    return [earliest + timedelta(days=day) for day in days]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)
