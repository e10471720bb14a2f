"""Large batches of letters are made in the background (django-tasks, database backend)."""

import os
import subprocess
import sys
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from nacl.public import PrivateKey

from accounts.actions import do_create_account
from accounts.models import User
from schools.models import Enrolment
from staff.models import LetterBatch
from tests.factories import LetterBatchFactory, SchoolClassFactory, UserFactory
from tests.helpers import (
    GOOD_PASSWORD,
    a_class,
    csv_bytes,
    database_url,
    letters_in,
    page_of,
    preview_import,
    print_letters,
    sign_in,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def background(settings):
    settings.LETTERS_IN_BACKGROUND_FROM = 3


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


def run_worker():
    """What ``manage.py db_worker`` does for each queued job, in this test's transaction (the
    real worker is another process: see the transactional tests below)."""
    from django_tasks_db.models import DBTaskResult

    from staff.tasks import make_letters

    queued = list(DBTaskResult.objects.filter(status="READY"))
    assert queued, "the job was queued in the database"
    for job in queued:
        make_letters.call(*job.args_kwargs["args"])
        job.delete()


def test_a_large_selection_is_prepared_in_the_background(staff, background, school_class):
    issued = pupils(school_class, 4)
    response = print_letters(staff, [i.user for i in issued])
    batch = LetterBatch.objects.get()
    assert response["Location"] == reverse("admin:accounts_letterbatch_progress", args=[batch.pk])
    assert f"courriers_{batch.pk}" in response.cookies
    waiting = page_of(staff.get(response["Location"]))
    assert "En attente" in waiting and 'http-equiv="refresh"' in waiting
    assert all(User.objects.get(pk=i.user.pk).check_password(i.password) for i in issued)

    run_worker()
    ready = page_of(staff.get(response["Location"]))
    assert "4 mots de passe provisoires émis sur 4" in ready
    assert "Télécharger les courriers (PDF)" in ready

    download = staff.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    letters = letters_in(download.content)
    assert len(letters) == 4
    for identifier, password in letters.items():
        assert User.objects.get(username=identifier).check_password(password)
    again = staff.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]), follow=True)
    assert "ne sont plus disponibles" in page_of(again)


def test_nothing_readable_is_kept_while_waiting_for_the_download(staff, background, school_class):
    issued = pupils(school_class, 3)
    print_letters(staff, [i.user for i in issued])
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "done" and b"%PDF" not in bytes(batch.sealed_pdf)
    dump = StringIO()
    call_command("dumpdata", stdout=dump)  # the whole database, before the download
    download = staff.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    passwords = letters_in(download.content).values()
    assert len(passwords) == 3
    assert not any(password in dump.getvalue() for password in passwords)


def test_only_the_browser_that_asked_can_download(staff, staff_user, background, school_class):
    issued = pupils(school_class, 3)
    print_letters(staff, [i.user for i in issued])
    run_worker()
    batch = LetterBatch.objects.get()
    other = Client()
    other.force_login(staff_user)
    response = other.post(
        reverse("admin:accounts_letterbatch_download", args=[batch.pk]), follow=True
    )
    assert "Seul le navigateur qui a lancé la préparation" in page_of(response)
    assert LetterBatch.objects.get().status == "done"


def test_a_large_import_runs_in_the_background(staff, background, establishment):
    page = preview_import(staff, establishment, csv_bytes(a_class(5)))
    response = staff.post(
        reverse("admin:accounts_user_import"),
        {"payload": page.context["payload"]},
    )
    assert response.status_code == 302
    assert not User.objects.filter(last_name__startswith="Élève").exists()
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "done" and batch.import_data is None
    download = staff.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    assert len(letters_in(download.content)) == 5
    assert User.objects.filter(last_name__startswith="Élève").count() == 5


def test_a_failed_batch_changes_nothing(staff, background, school_class, monkeypatch):
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
    page = page_of(staff.get(reverse("admin:accounts_letterbatch_progress", args=[batch.pk])))
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
    page = page_of(staff.get(reverse("admin:accounts_letterbatch_progress", args=[old.pk])))
    assert "effacés au bout d'un jour" in page


def test_the_worker_deletes_old_batches_before_each_job(
    staff, staff_user, background, school_class
):
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
    return subprocess.run(worker_command(), timeout=120, **worker_options())


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_process_runs_the_job_and_the_page_shows_its_progress(
    client, background, establishment
):
    staff_user = UserFactory(superuser=True, username="secretariat")
    client.force_login(staff_user)
    issued = pupils(SchoolClassFactory(establishment=establishment), 4)
    response = print_letters(client, [i.user for i in issued])
    assert "0 mots de passe provisoires émis sur 4" in page_of(client.get(response["Location"]))

    result = worker_process()
    assert result.returncode == 0, result.stderr[-3000:]

    page = page_of(client.get(response["Location"]))
    assert "Prêt" in page and "4 mots de passe provisoires émis sur 4" in page
    batch = LetterBatch.objects.get()
    download = client.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    letters = letters_in(download.content)
    assert len(letters) == 4
    for identifier, password in letters.items():
        assert User.objects.get(username=identifier).check_password(password)


@pytest.mark.django_db(transaction=True)
def test_a_pupil_signs_in_within_a_second_while_a_year_group_s_letters_are_made(establishment):
    """400 letters (real argon2, real PDF) by the worker process; a pupil signs in meanwhile."""
    from staff.tasks import make_letters

    school_class = SchoolClassFactory(establishment=establishment)
    year_group = User.objects.bulk_create(
        User(username=f"e.lot{n}", first_name="Élève", last_name=f"Lot{n}", password="!")
        for n in range(400)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=user, establishment=establishment, school_class=school_class)
        for user in year_group
    )
    pupil = UserFactory(activated=True, school_class=school_class)
    batch = LetterBatchFactory(
        created_by=UserFactory(superuser=True),
        user_ids=[user.pk for user in year_group],
        total=400,
        public_key=bytes(PrivateKey.generate().public_key).hex(),
    )
    make_letters.enqueue(batch.pk)

    worker = subprocess.Popen(worker_command(), **worker_options())
    during_batch = []
    try:
        while worker.poll() is None:
            status = LetterBatch.objects.values_list("status", flat=True).get(pk=batch.pk)
            started = time.monotonic()
            response = sign_in(Client(), pupil.username, GOOD_PASSWORD)
            elapsed = time.monotonic() - started
            if status == "running":
                during_batch.append((elapsed, response.status_code, response.get("Location")))
            time.sleep(0.5)
    finally:
        output, errors = worker.communicate(timeout=120)
    assert worker.returncode == 0, errors[-3000:]

    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == 400, batch.error
    assert len(during_batch) >= 5  # spread over hashing, rendering and writing
    for elapsed, status, location in during_batch:
        assert status == 302 and location == reverse("portal:services")
        assert elapsed < 1, f"a sign-in waited {elapsed:.1f} s for the batch"
