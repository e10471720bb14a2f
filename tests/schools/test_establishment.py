import pytest
from django.core.exceptions import ValidationError

from schools.models import Establishment
from schools.validators import validate_uai


@pytest.mark.parametrize("uai", ["0750655E", "0340011C"])
def test_a_uai_with_its_check_letter_is_accepted(uai):
    validate_uai(uai)


@pytest.mark.parametrize(
    ("uai", "message"),
    [
        ("075065E", "7 chiffres"),
        ("0750655e", "7 chiffres"),
        ("07506551", "7 chiffres"),
        ("", "7 chiffres"),
        ("0750655F", "lettre clé"),
    ],
)
def test_a_malformed_uai_is_refused_in_french(uai, message):
    with pytest.raises(ValidationError, match=message):
        validate_uai(uai)


def test_full_clean_applies_the_uai_rule(db):
    with pytest.raises(ValidationError) as error:
        Establishment(uai="0750655F", name="Lycée", academie="Paris").full_clean()
    assert "uai" in error.value.message_dict
