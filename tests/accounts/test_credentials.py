import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accounts.credentials import (
    PROVISIONAL_ALPHABET,
    PROVISIONAL_ENTROPY_BITS,
    add_months,
    fold,
    generate_provisional_password,
    identifier_base,
    smallest_free_number,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Théo", "Counen", "t.counen"),
        ("Éloïse", "D'Arc-Müller", "e.darcmuller"),
        ("Zoé", "Le Bœuf", "z.leboeuf"),
        ("Ægir", "Straße", "a.strasse"),
        ("  jean-pierre ", "  DE LA FONTAINE ", "j.delafontaine"),
        ("Inès", "N’Diaye", "i.ndiaye"),
    ],
)
def test_identifier_folds_accents_and_drops_spaces_apostrophes_hyphens(first, last, expected):
    assert identifier_base(first, last) == expected


def test_identifier_needs_a_letter_in_first_and_last_name():
    with pytest.raises(ValidationError):
        identifier_base("123", "Counen")
    with pytest.raises(ValidationError):
        identifier_base("Théo", "--")


def test_fold_keeps_only_lower_case_ascii_letters():
    assert fold("Ça-Va Ÿ 3 !") == "cavay"


def test_smallest_free_number_fills_the_first_gap():
    assert smallest_free_number("t.counen", set()) == "t.counen1"
    assert smallest_free_number("t.counen", {"t.counen1", "t.counen2"}) == "t.counen3"
    assert smallest_free_number("t.counen", {"t.counen2"}) == "t.counen1"


def test_provisional_alphabet_has_no_look_alikes():
    for char in "0Oo1lI":
        assert char not in PROVISIONAL_ALPHABET
    assert len(set(PROVISIONAL_ALPHABET)) == len(PROVISIONAL_ALPHABET)


def test_provisional_passwords_carry_at_least_50_bits():
    """Measured on what the generator makes: its length times the bits of the symbols it
    actually uses (every one of the alphabet, none other)."""
    passwords = [generate_provisional_password() for _ in range(2000)]
    used = set("".join(passwords))
    assert used == set(PROVISIONAL_ALPHABET)
    lengths = {len(password) for password in passwords}
    assert min(lengths) * math.log2(len(used)) >= 50
    assert min(lengths) * math.log2(len(used)) == PROVISIONAL_ENTROPY_BITS


def test_provisional_passwords_are_random():
    assert len({generate_provisional_password() for _ in range(200)}) == 200


def test_add_months_keeps_the_day_or_clamps_to_the_end_of_the_month():
    assert add_months(datetime(2026, 9, 1, 10, tzinfo=PARIS), 3) == datetime(
        2026, 12, 1, 10, tzinfo=PARIS
    )
    assert add_months(datetime(2026, 11, 30, tzinfo=PARIS), 3) == datetime(
        2027, 2, 28, tzinfo=PARIS
    )
    assert add_months(datetime(2027, 11, 30, tzinfo=PARIS), 3) == datetime(
        2028, 2, 29, tzinfo=PARIS
    )


def test_no_provisional_password_can_satisfy_the_seed_rule():
    from accounts.validators import SPECIAL_CHARACTERS

    assert not set(PROVISIONAL_ALPHABET) & set(SPECIAL_CHARACTERS)
