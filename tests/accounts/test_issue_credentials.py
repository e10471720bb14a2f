import logging
import os
import threading
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.actions import do_create_account, do_issue_credentials, do_issue_many
from accounts.models import User
from audit.models import AuditEvent
from schools.models import Enrolment
from tests.factories import SchoolClassFactory
from tests.hashers import HELD_ELSEWHERE, probe_of
from tests.helpers import GUARD_SECONDS


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


@pytest.mark.argon2
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


def test_the_letter_expires_three_months_after_issuing_on_the_same_day(school_class, monkeypatch):
    issued_on = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: issued_on)
    issued = create(school_class)
    user = User.objects.get(pk=issued.user.pk)
    assert user.provisional_issued_at == issued_on
    # No 30 February: the end of the shorter month.
    expected = datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    assert user.provisional_expires_at == issued.expires_at == expected


def test_the_validity_comes_from_the_settings(school_class, settings, monkeypatch):
    settings.PROVISIONAL_VALIDITY_MONTHS = 1
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    issued = create(school_class)
    assert issued.expires_at == datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


PROBE = "tests.hashers.ProbeArgon2PasswordHasher"


@pytest.mark.argon2
def test_issuing_many_at_once_hashes_on_every_core_and_keeps_the_rules(
    staff_user, school_class, settings
):
    settings.PASSWORD_HASHERS = [PROBE]  # OWASP's argon2id, whose salt names the process
    users = [create(school_class, "Élève", f"Lot{n}").user for n in range(16)]
    old = {u.pk: User.objects.get(pk=u.pk).password for u in users}
    issued = do_issue_many(users, actor=staff_user, workers=2)
    assert len(issued) == 16
    pids = set()
    for item in issued:
        user = User.objects.get(pk=item.user.pk)
        assert user.password != old[user.pk] and user.check_password(item.password)
        assert user.is_provisional and user.provisional_issued_by == staff_user
        assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        pids.add(probe_of(user.password)[0])
    assert len(pids) == 2 and os.getpid() not in pids  # two other processes hashed
    assert AuditEvent.objects.filter(action="credentials_reissued", actor=staff_user).count() == 16


def test_the_hashing_processes_never_inherit_a_lock_held_by_another_thread(settings):
    """The server has threads (gunicorn's, a live server's); a process forked from it would
    start with the locks they held at that moment, held forever, and the batch would wait for
    them forever. The hashing processes start clean: a lock held by a thread here is free there."""
    from accounts.batch import hash_all

    settings.PASSWORD_HASHERS = [PROBE]
    holding, done = threading.Event(), threading.Event()

    def hold():
        with HELD_ELSEWHERE:
            holding.set()
            done.wait(GUARD_SECONDS)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert holding.wait(GUARD_SECONDS)
    try:
        hashes = hash_all([f"Mot-de-passe-{n}" for n in range(8)], workers=2)
    finally:
        done.set()
        thread.join(GUARD_SECONDS)
    probes = [probe_of(encoded) for encoded in hashes]
    assert os.getpid() not in {pid for pid, _ in probes}  # hashed in other processes
    assert [held for _, held in probes] == ["free"] * 8


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
