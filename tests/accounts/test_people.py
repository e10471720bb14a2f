from datetime import date

import pytest
from django.db import IntegrityError

from accounts.models import User
from accounts.people import FreeIdentifiers, person_key, retry_on_collision, same_person
from schools.models import Role
from tests.factories import UserFactory


def test_pupils_and_parents_are_numbered_in_one_sequence(db):
    """A parent named like a pupil gets the next number, not the pupil's identifier."""
    UserFactory(username="t.counen1", role=Role.PUPIL)
    UserFactory(username="t.counen3", role=Role.PARENT)
    assert FreeIdentifiers().take("Thierry", "Counen") == "t.counen2"


def test_one_batch_never_hands_out_an_identifier_twice(db):
    """The numbers read once per name are remembered between the people of one batch."""
    identifiers = FreeIdentifiers()
    assert [identifiers.take("Théo", "Counen") for _ in range(3)] == [
        "t.counen1",
        "t.counen2",
        "t.counen3",
    ]


def test_an_identifier_taken_meanwhile_is_allocated_again(db):
    """Another process takes « t.counen1 » between the read and the write: the write is
    rolled back and starts again with « t.counen2 »."""
    read = []

    def prepare():
        identifier = FreeIdentifiers().take("Théo", "Counen")
        if not read:
            User.objects.create(username=identifier, last_name="Autre")  # the other process
        read.append(identifier)
        return identifier

    def write(identifier):
        User.objects.create(username="witness" + identifier[-1])
        return User.objects.create(username=identifier, last_name="Counen")

    user = retry_on_collision(prepare, write)
    assert read == ["t.counen1", "t.counen2"] and user.username == "t.counen2"
    # The failed attempt left nothing behind: its savepoint was rolled back.
    assert list(User.objects.filter(username__startswith="witness").values_list("username")) == [
        ("witness2",)
    ]


def test_the_last_collision_is_raised_after_the_attempts(db):
    """No endless loop: after ``attempts`` collisions the IntegrityError reaches the caller."""
    UserFactory(username="taken")
    prepared = []
    with pytest.raises(IntegrityError):
        retry_on_collision(
            lambda: prepared.append(1),
            lambda _prepared: User.objects.create(username="taken"),
            attempts=3,
        )
    assert len(prepared) == 3


def test_a_person_is_named_again_whatever_the_accents_case_spaces_and_hyphens():
    """« D'ARC-MULLER Éloïse » in a file is « Darc Müller Eloise » in the database."""
    born = date(2012, 3, 14)
    assert person_key("D'ARC-MULLER", "Éloïse", born) == person_key("Darc Müller", "eloise", born)
    assert person_key("Counen", "Théo", born) != person_key("Counen", "Théo", date(2012, 3, 15))
    assert person_key("Counen", "Théo", born) != person_key("Counen", "Théa", born)


def test_two_letters_of_one_parent_are_the_same_person_whatever_their_birth_dates(db):
    """Parents are told apart by their names only (the school keeps no birth date for
    them)."""
    letter = UserFactory(first_name="Sandrine", last_name="Counen", birth_date=None)
    other = UserFactory(first_name="SANDRINE", last_name="counen", birth_date=date(1980, 1, 2))
    stranger = UserFactory(first_name="Sandra", last_name="Counen", birth_date=None)
    assert same_person(letter, other) and not same_person(letter, stranger)
