"""EduConnect-style identifiers and provisional passwords (docs/architecture.md, « La vie d'un
compte »)."""

import calendar
import hashlib
import hmac
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


def practice_password(seed: str, identifier: str) -> str:
    """The letter's password of an invented pupil of a practice class: derived from the
    server's secret, the class's seed and the identifier, so that the same letter works again
    after each reset and can be printed again. Never stored; acceptable for invented accounts
    only, because whoever holds the server's secret can derive it (docs/securite.md)."""
    from django.conf import settings

    key = hashlib.sha256(f"practice-letter:{settings.SECRET_KEY}".encode()).digest()
    stream = b""
    counter = 0
    password = ""
    # Rejection sampling over HMAC output: each symbol as likely as any other.
    limit = 256 - 256 % len(PROVISIONAL_ALPHABET)
    while len(password) < PROVISIONAL_LENGTH:
        if not stream:
            message = f"{seed}:{identifier}:{counter}".encode()
            stream = hmac.new(key, message, hashlib.sha256).digest()
            counter += 1
        byte, stream = stream[0], stream[1:]
        if byte < limit:
            password += PROVISIONAL_ALPHABET[byte % len(PROVISIONAL_ALPHABET)]
    return password


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
