"""Letters are made in the background (django-tasks, database backend): the worker, the sealed
PDF, the purge (the job's pages and the one-time token: test_letter_jobs.py)."""

import os
import subprocess
import sys
import threading
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from nacl.public import PrivateKey

from accounts.actions import do_create_account
from accounts.models import User
from staff.models import LetterBatch
from tests.factories import LetterBatchFactory, SchoolClassFactory, UserFactory
from tests.helpers import (
    GOOD_PASSWORD,
    GUARD_SECONDS,
    a_class,
    csv_bytes,
    database_url,
    job_token_in,
    letters_in,
    page_of,
    preview_import,
    print_letters,
    run_worker,
    sign_in,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def pupils(school_class, n):
    return [
        do_create_account(
            first_name="Élève",
            last_name=f"Lot{i}",
            birth_date=date(2012, 1, 1),
            establishment=school_class.establishment,
            school_class=school_class,
        )
        for i in range(n)
    ]


def test_a_selection_s_letters_are_prepared_in_the_background(staff, school_class):
    issued = pupils(school_class, 4)
    response = print_letters(staff, [i.user for i in issued])
    batch = LetterBatch.objects.get()
    assert response["Location"] == reverse("letter_job", args=[batch.pk])
    assert f"courriers_{batch.pk}" in response.cookies
    waiting = page_of(staff.get(response["Location"]))
    assert "4 courriers en préparation" in waiting and "Actualiser" in waiting
    assert all(User.objects.get(pk=i.user.pk).check_password(i.password) for i in issued)

    run_worker()
    ready = page_of(staff.get(response["Location"]))
    assert "4 mots de passe provisoires émis sur 4" in ready
    assert "Télécharger le PDF" in ready

    download = staff.post(reverse("letter_job_download", args=[batch.pk]))
    letters = letters_in(download.content)
    assert len(letters) == 4
    for identifier, password in letters.items():
        assert User.objects.get(username=identifier).check_password(password)
    again = staff.post(reverse("letter_job_download", args=[batch.pk]), follow=True)
    assert "ne sont plus disponibles" in page_of(again)


def test_nothing_readable_is_kept_while_waiting_for_the_download(staff, school_class):
    issued = pupils(school_class, 3)
    print_letters(staff, [i.user for i in issued])
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "done" and b"%PDF" not in bytes(batch.sealed_pdf)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)  # the whole database, before the download
    download = staff.post(reverse("letter_job_download", args=[batch.pk]))
    passwords = letters_in(download.content).values()
    assert len(passwords) == 3
    assert not any(password in dump.getvalue() for password in passwords)


def test_only_the_browser_that_asked_can_download(staff, staff_user, school_class):
    issued = pupils(school_class, 3)
    print_letters(staff, [i.user for i in issued])
    run_worker()
    batch = LetterBatch.objects.get()
    other = Client()
    other.force_login(staff_user)
    response = other.post(reverse("letter_job_download", args=[batch.pk]), follow=True)
    assert "Seul le navigateur qui a lancé la préparation" in page_of(response)
    assert LetterBatch.objects.get().status == "done"


def test_an_import_runs_in_the_background(staff, establishment):
    page = preview_import(staff, establishment, csv_bytes(a_class(5)))
    response = staff.post(
        reverse("admin:accounts_user_import"),
        {"payload": page.context["payload"], "job_token": job_token_in(page)},
    )
    assert response.status_code == 303
    assert not User.objects.filter(last_name__startswith="Élève").exists()
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "done" and batch.import_data is None
    download = staff.post(reverse("letter_job_download", args=[batch.pk]))
    assert len(letters_in(download.content)) == 5
    assert User.objects.filter(last_name__startswith="Élève").count() == 5


def test_a_failed_batch_changes_nothing(staff, school_class, monkeypatch):
    from staff import tasks

    issued = pupils(school_class, 3)

    def broken(*args, **kwargs):
        raise RuntimeError("imprimante en panne")

    monkeypatch.setattr(tasks, "letters_pdf", broken)
    print_letters(staff, [i.user for i in issued])
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "failed" and "imprimante en panne" in batch.error
    assert all(User.objects.get(pk=i.user.pk).check_password(i.password) for i in issued)
    page = page_of(staff.get(reverse("letter_job", args=[batch.pk])))
    assert "rien n'a été changé" in page


def test_batches_older_than_a_day_are_deleted_by_the_daily_purge(staff, staff_user):
    old = LetterBatchFactory(ready=True, old=True, created_by=staff_user)
    recent = LetterBatchFactory(ready=True, created_by=staff_user)
    out = StringIO()
    call_command("purge_departed", stdout=out)
    assert "1 lot de courriers effacé" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.sealed_pdf is None and old.status == "expired"
    assert bytes(recent.sealed_pdf) == b"sealed" and recent.status == "done"
    page = page_of(staff.get(reverse("letter_job", args=[old.pk])))
    assert "effacés au bout d'un jour" in page


def test_the_worker_deletes_old_batches_before_each_job(staff, staff_user, school_class):
    old = LetterBatchFactory(ready=True, old=True, created_by=staff_user)
    print_letters(staff, [i.user for i in pupils(school_class, 3)])
    run_worker()
    old.refresh_from_db()
    assert old.sealed_pdf is None and old.status == "expired"
    assert LetterBatch.objects.exclude(pk=old.pk).get().status == "done"


def test_a_batch_waiting_more_than_a_day_is_not_run(staff_user, school_class):
    from staff.tasks import make_letters

    issued = pupils(school_class, 3)
    batch = LetterBatchFactory(
        old=True, created_by=staff_user, user_ids=[i.user.pk for i in issued], total=3
    )
    make_letters.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "expired"
    assert all(User.objects.get(pk=i.user.pk).check_password(i.password) for i in issued)


def worker_command():
    return [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]


def worker_options():
    """``manage.py db_worker`` runs in its own process, on the test database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
    }
    return {
        "cwd": ROOT,
        "env": env,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
    }


def worker_process():
    """The real worker, run until the queue is empty."""
    return subprocess.run(worker_command(), timeout=GUARD_SECONDS, **worker_options())


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_process_runs_the_job_and_the_page_shows_its_progress(
    client, establishment
):
    staff_user = UserFactory(superuser=True, username="secretariat")
    client.force_login(staff_user)
    issued = pupils(SchoolClassFactory(establishment=establishment), 4)
    response = print_letters(client, [i.user for i in issued])
    assert "0 mot de passe provisoire émis sur 4" in page_of(client.get(response["Location"]))

    result = worker_process()
    assert result.returncode == 0, result.stderr[-3000:]

    page = page_of(client.get(response["Location"]))
    assert "4 courriers prêts" in page and "4 mots de passe provisoires émis sur 4" in page
    batch = LetterBatch.objects.get()
    download = client.post(reverse("letter_job_download", args=[batch.pk]))
    letters = letters_in(download.content)
    assert len(letters) == 4
    for identifier, password in letters.items():
        assert User.objects.get(username=identifier).check_password(password)


def sign_in_without_waiting(pupil):
    """A sign-in on a connection of its own that never waits for a lock: any lock held by the
    batch makes it fail at once (SQLite: no busy wait; PostgreSQL: a lock timeout of 1 ms),
    whatever the speed of the machine. (status, Location) or the error."""
    outcome = []

    def run():
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA busy_timeout = 0")
                else:
                    cursor.execute("SET lock_timeout = 1")
            response = sign_in(Client(), pupil.username, GOOD_PASSWORD)
            outcome.append((response.status_code, response.get("Location")))
        except Exception as exc:  # noqa: BLE001 - the failure is the answer
            outcome.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(GUARD_SECONDS)
    return outcome[0]


@pytest.mark.django_db(transaction=True)
def test_a_pupil_never_waits_for_a_lock_while_a_year_group_s_letters_are_made(
    establishment, monkeypatch
):
    """The batch hashes, then renders, with no transaction open, then writes in one short
    transaction: a pupil who signs in while it hashes, while it renders and after it is never
    held by a lock; the events come in that order."""
    from accounts import actions as account_actions
    from staff import actions as staff_actions
    from staff import tasks

    school_class = SchoolClassFactory(establishment=establishment)
    year_group = [user.user for user in pupils(school_class, 8)]  # 8: hashed on every core
    pupil = UserFactory(activated=True, school_class=school_class)
    batch = LetterBatchFactory(
        user_ids=[user.pk for user in year_group],
        total=len(year_group),
        public_key=bytes(PrivateKey.generate().public_key).hex(),
    )
    events = []

    def step(name, real, sign_in_meanwhile=True):
        def spy(*args, **kwargs):
            signed_in = sign_in_without_waiting(pupil) if sign_in_meanwhile else None
            events.append((name, connection.in_atomic_block, signed_in))
            return real(*args, **kwargs)

        return spy

    monkeypatch.setattr(account_actions, "hash_all", step("hashing", account_actions.hash_all))
    monkeypatch.setattr(tasks, "letters_pdf", step("rendering", tasks.letters_pdf))
    # Inside the write transaction a sign-in could wait: only where it happens is noted (on
    # SQLite, whose write lock is the whole database's, the detector is shown to work below).
    monkeypatch.setattr(
        staff_actions,
        "do_issue_many",
        step("writing", staff_actions.do_issue_many, connection.vendor == "sqlite"),
    )

    tasks.make_letters.call(batch.pk)

    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == 8, batch.error
    signed_in = (302, reverse("portal:services"))
    assert [(name, atomic) for name, atomic, _ in events] == [
        ("hashing", False),
        ("rendering", False),
        ("writing", True),
    ]
    assert events[0][2] == signed_in and events[1][2] == signed_in
    if connection.vendor == "sqlite":
        assert "database is locked" in events[2][2]  # a held lock is caught, not waited for
    assert sign_in_without_waiting(pupil) == signed_in
