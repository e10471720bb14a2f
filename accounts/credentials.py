"""EduConnect-style identifiers and provisional passwords (docs/architecture.md, « La vie d'un
compte »)."""

import calendar
import math
import re
import secrets
import unicodedata
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# No look-alikes: no 0/O/o, no 1/l/I. 56 symbols, 10 characters: 58 bits.
PROVISIONAL_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PROVISIONAL_LENGTH = 10
PROVISIONAL_ENTROPY_BITS = PROVISIONAL_LENGTH * math.log2(len(PROVISIONAL_ALPHABET))

MAX_SURNAME_LENGTH = 40
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_LETTER = re.compile(r"[^a-z]")
_SEPARATORS = re.compile(r"[\s'\u2019-]")


def fold_name(text: str) -> str:
    """A name as compared and turned into an identifier: accents and ligatures folded, lower
    case, spaces, apostrophes and hyphens dropped (« D'Arc-Müller » → « darcmuller »)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _SEPARATORS.sub("", folded)


def fold(text: str) -> str:
    """Lower-case ASCII letters only, for identifiers: ``fold_name`` without the rest."""
    return _NOT_LETTER.sub("", fold_name(text))


def identifier_base(first_name: str, last_name: str) -> str:
    """« Éloïse », « D'Arc-Müller » → « e.darcmuller » (the number is added on allocation)."""
    first, last = fold(first_name), fold(last_name)[:MAX_SURNAME_LENGTH]
    if not first or not last:
        raise ValidationError(
            _(
                "Le prénom et le nom doivent contenir au moins une lettre pour former "
                "l'identifiant."
            ),
            code="identifier_letters",
        )
    return f"{first[0]}.{last}"


def smallest_free_number(base: str, taken: set[str]) -> str:
    """The identifier ``base + n`` with the smallest n ≥ 1 that is not in ``taken``."""
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def generate_provisional_password() -> str:
    return "".join(secrets.choice(PROVISIONAL_ALPHABET) for _ in range(PROVISIONAL_LENGTH))


def looks_like_provisional_password(password) -> bool:
    return (
        isinstance(password, str)
        and len(password) == PROVISIONAL_LENGTH
        and all(c in PROVISIONAL_ALPHABET for c in password)
    )


def add_months(moment: datetime, months: int) -> datetime:
    """Same day ``months`` later, clamped to the end of a shorter month (31 Nov → 30 Nov)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
