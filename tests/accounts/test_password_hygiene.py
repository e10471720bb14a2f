import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def change(user, password):
    user.set_password(password)
    user.save()


def test_the_last_five_passwords_cannot_be_reused(pupil):
    passwords = [f"Ancien#Secret{n}x" for n in range(6)]
    for password in passwords:
        change(pupil, password)
    for recent in passwords[1:]:
        with pytest.raises(ValidationError, match="déjà utilisé"):
            validate_password(recent, pupil)
    validate_password(passwords[0], pupil)  # the sixth from now is allowed again
    assert pupil.password_history.count() == 5


@pytest.mark.parametrize(
    "password", ["Theo#14032012", "Soleil#140312", "Soleil#2012x", "Z#20120314"]
)
def test_the_birth_date_is_refused(pupil, password):
    with pytest.raises(ValidationError, match="date de naissance"):
        validate_password(password, pupil)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("T.counen1#", "trop semblable"),
        ("Counen#Theo", "trop semblable"),
        ("Password1!", "trop courant"),
    ],
)
def test_the_identifier_the_name_and_common_passwords_are_refused(pupil, password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password, pupil)


@pytest.mark.argon2
def test_history_holds_hashes_only(pupil):
    change(pupil, "Ancien#Secret1x")
    stored = pupil.password_history.first().password
    assert stored.startswith("argon2$argon2id$") and "Secret1x" not in stored
