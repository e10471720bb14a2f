import logging
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.actions import do_create_account, do_issue_credentials
from accounts.credentials import add_months
from accounts.models import AuditEvent, User
from schools.models import Enrolment
from tests.factories import SchoolClassFactory


def create(school_class, first="Théo", last="Counen", **kwargs):
    return do_create_account(
        first_name=first,
        last_name=last,
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
        **kwargs,
    )


def test_it_creates_the_account_with_its_identifier_and_enrolment(school_class):
    issued = create(school_class, "Éloïse", "D'Arc-Müller")
    user = issued.user
    assert issued.identifier == "e.darcmuller1"
    assert (user.first_name, user.last_name, user.role) == ("Éloïse", "D'Arc-Müller", "eleve")
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.establishment == school_class.establishment
    assert enrolment.school_class == school_class


def test_collisions_take_the_smallest_free_number(school_class):
    first = create(school_class)
    second = create(school_class, "Tom", "Counen")
    assert (first.identifier, second.identifier) == ("t.counen1", "t.counen2")
    first.user.delete()
    assert create(school_class, "Tess", "Counen").identifier == "t.counen1"


def test_similar_identifiers_do_not_count_as_collisions(school_class):
    create(school_class, "Théo", "Counenx")
    assert create(school_class).identifier == "t.counen1"


def test_only_the_hash_of_the_provisional_password_is_stored(school_class):
    issued = create(school_class)
    stored = User.objects.get(pk=issued.user.pk).password
    assert issued.password not in stored
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert issued.user.check_password(issued.password)


def test_no_plaintext_password_anywhere_in_the_database_or_the_logs(school_class, caplog):
    caplog.set_level(logging.DEBUG)
    issued = create(school_class)
    reissued = do_issue_credentials(issued.user)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    for password in (issued.password, reissued.password):
        assert password not in dump.getvalue()
        assert password not in caplog.text


def test_the_letter_expires_three_months_after_issuing(school_class):
    issued = create(school_class)
    user = issued.user
    assert user.is_provisional
    assert issued.expires_at == add_months(user.provisional_issued_at, 3)
    assert issued.expires_at - timezone.now() > timedelta(days=88)


def test_reissuing_kills_the_previous_provisional_password(school_class):
    issued = create(school_class)
    reissued = do_issue_credentials(issued.user)
    user = User.objects.get(pk=issued.user.pk)
    assert not user.check_password(issued.password)
    assert user.check_password(reissued.password)
    assert reissued.password != issued.password


def test_issuing_and_reissuing_are_audited_with_the_actor(school_class, staff_user):
    issued = create(school_class, actor=staff_user, ip="192.0.2.1")
    do_issue_credentials(issued.user, actor=staff_user)
    events = list(AuditEvent.objects.filter(subject=issued.user).order_by("id"))
    assert [e.action for e in events] == ["credentials_issued", "credentials_reissued"]
    assert events[0].actor == staff_user and events[0].ip == "192.0.2.1"
    assert events[0].subject_label == "t.counen1"
    assert User.objects.get(pk=issued.user.pk).provisional_issued_by == staff_user


def test_a_class_of_another_establishment_is_refused(school_class):
    other = SchoolClassFactory()
    with pytest.raises(ValidationError):
        do_create_account(
            first_name="A",
            last_name="B",
            birth_date=date(2012, 1, 1),
            establishment=school_class.establishment,
            school_class=other,
        )
    assert not User.objects.exists()


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
    password = out.getvalue().split("Mot de passe provisoire : ")[1].split()[0]
    assert user.check_password(password)


def test_the_command_reissues_for_an_identifier(issued):
    out = StringIO()
    call_command("issue_credentials", "--reissue", issued.identifier, stdout=out)
    password = out.getvalue().split("Mot de passe provisoire : ")[1].split()[0]
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
