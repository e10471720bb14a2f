"""Telling people apart, written once for pupils and parents alike (docs/architecture.md, « La vie
d'un compte »): the identifier a new person gets, the retry when another process took it first,
and the rule by which a file, a form or a registration names someone already known."""

from django.db import IntegrityError, transaction

from accounts.credentials import fold_name, identifier_base, smallest_free_number
from accounts.models import User

# How many times a write that lost its identifiers to another process is tried again.
ATTEMPTS = 5


def taken_identifiers(base: str) -> set[str]:
    """The identifiers already given with ``base`` (« t.counen1 », « t.counen4 »...)."""
    return set(
        User.objects.filter(username__regex=rf"^{base.replace('.', '[.]')}[0-9]+$").values_list(
            "username", flat=True
        )
    )


class FreeIdentifiers:
    """Identifiers for new people, one after the other: first-name initial + "." + surname,
    lower-case ASCII, + the smallest free number (« t.counen1 »). What is taken is read once
    per base and remembered, so that two people of one batch never get the same one. Read, not
    reserved: a process that takes one before the write makes the write fail on the unique
    username, and ``retry_on_collision`` starts again with fresh ones."""

    def __init__(self):
        self._taken = {}

    def take(self, first_name: str, last_name: str) -> str:
        base = identifier_base(first_name, last_name)
        if base not in self._taken:
            self._taken[base] = taken_identifiers(base)
        identifier = smallest_free_number(base, self._taken[base])
        self._taken[base].add(identifier)
        return identifier


def retry_on_collision(prepare, write, *, attempts: int = ATTEMPTS):
    """``write(prepare())``, the write in its own transaction (a savepoint inside the caller's).
    When the write hits IntegrityError (another process took an identifier that ``prepare``
    read as free), again with a fresh ``prepare()``, ``attempts`` times at most; the last
    error is raised. ``prepare`` runs outside that transaction: slow work (hashing, letters)
    belongs there, never under the write's lock."""
    for attempt in range(1, attempts + 1):
        prepared = prepare()
        try:
            with transaction.atomic():
                return write(prepared)
        except IntegrityError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def person_key(last_name: str, first_name: str, birth_date=None) -> tuple:
    """Who someone is when named again (an import's « déjà inscrit » and its duplicates, the
    admin's « déjà un compte », a parent registering by SMS or grouping letters): the names
    folded as for identifiers (accents, case, spaces, hyphens and apostrophes do not count),
    and the birth date where it tells people apart, for pupils. Parents go without: the school
    keeps no birth date for them, and the caller matches their mobile number or address
    beside. A key, so that a whole file is looked up at once."""
    return (fold_name(last_name), fold_name(first_name), birth_date)


def same_person(a, b) -> bool:
    """Whether two accounts are named as one person by ``person_key``, without birth dates (a
    parent's letters)."""
    return person_key(a.last_name, a.first_name) == person_key(b.last_name, b.first_name)
