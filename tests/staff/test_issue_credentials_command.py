from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User


def test_the_command_creates_a_pupil_and_prints_the_letter_once(school_class):
    out = StringIO()
    call_command(
        "issue_credentials",
        "--first-name",
        "Inès",
        "--last-name",
        "Benali",
        "--birth-date",
        "23/01/2012",
        "--establishment",
        school_class.establishment.uai,
        "--class",
        "4e B",
        stdout=out,
    )
    user = User.objects.get(username="i.benali1")
    assert user.birth_date == date(2012, 1, 23)
    password = (
        out.getvalue().replace("\u00a0", " ").split("Mot de passe provisoire : ")[1].split()[0]
    )
    assert user.check_password(password)


def test_the_command_reissues_for_an_identifier(issued):
    out = StringIO()
    call_command("issue_credentials", "--reissue", issued.identifier, stdout=out)
    password = (
        out.getvalue().replace("\u00a0", " ").split("Mot de passe provisoire : ")[1].split()[0]
    )
    user = User.objects.get(pk=issued.user.pk)
    assert user.check_password(password) and not user.check_password(issued.password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reissue", "personne1"], "Aucun compte"),
        (["--first-name", "A"], "Il manque"),
        (
            [
                "--first-name",
                "A",
                "--last-name",
                "B",
                "--birth-date",
                "31/02/2012",
                "--establishment",
                "0000000A",
            ],
            "Aucun établissement",
        ),
    ],
)
def test_the_command_explains_bad_input_in_french(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("issue_credentials", *args)


def test_the_command_refuses_an_impossible_birth_date(school_class):
    with pytest.raises(CommandError, match="illisible"):
        call_command(
            "issue_credentials",
            "--first-name",
            "A",
            "--last-name",
            "B",
            "--birth-date",
            "31/02/2012",
            "--establishment",
            school_class.establishment.uai,
        )
    assert not User.objects.exists()
