"""Large batches of letters are made in the background (django-tasks, database backend)."""

import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.actions import do_create_account
from accounts.models import LetterBatch, User
from tests.accounts.test_import import a_class, csv_bytes, preview
from tests.helpers import page_of


@pytest.fixture
def background(settings):
    settings.LETTERS_IN_BACKGROUND_FROM = 3


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def pupils(school_class, n):
    from datetime import date

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


def print_letters(client, issued):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "print_letters",
            "confirm": "yes",
            "_selected_action": [item.user.pk for item in issued],
        },
    )


def run_worker():
    """What ``manage.py db_worker`` does for each queued job, in this test's transaction (the
    real worker closes the database connection, and with it the test's transaction)."""
    from django_tasks_db.models import DBTaskResult

    from accounts.tasks import make_letters

    queued = list(DBTaskResult.objects.filter(status="READY"))
    assert queued, "the job was queued in the database"
    for job in queued:
        make_letters.call(*job.args_kwargs["args"])
        job.delete()


def letters_in(pdf_bytes):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    return dict(re.findall(r"Identifiant\s+(\S+)\s+Mot de passe provisoire\s+(\S+)", text))


def test_a_large_selection_is_prepared_in_the_background(staff, background, school_class):
    issued = pupils(school_class, 4)
    response = print_letters(staff, issued)
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
    print_letters(staff, issued)
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
    print_letters(staff, issued)
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
    page = preview(staff, establishment, csv_bytes(a_class(5)))
    payload = re.search(r'name="payload" value="([^"]+)"', page.content.decode()).group(1)
    response = staff.post(reverse("admin:accounts_user_import"), {"payload": payload})
    assert response.status_code == 302
    assert not User.objects.filter(last_name__startswith="Élève").exists()
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "done" and batch.import_data is None
    download = staff.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    assert len(letters_in(download.content)) == 5
    assert User.objects.filter(last_name__startswith="Élève").count() == 5


def test_a_failed_batch_changes_nothing(staff, background, school_class, monkeypatch):
    from accounts import tasks

    issued = pupils(school_class, 3)

    def broken(*args, **kwargs):
        raise RuntimeError("imprimante en panne")

    monkeypatch.setattr(tasks, "letters_pdf", broken)
    print_letters(staff, issued)
    run_worker()
    batch = LetterBatch.objects.get()
    assert batch.status == "failed" and "imprimante en panne" in batch.error
    assert all(User.objects.get(pk=i.user.pk).check_password(i.password) for i in issued)
    page = page_of(staff.get(reverse("admin:accounts_letterbatch_progress", args=[batch.pk])))
    assert "rien n'a été changé" in page


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_command_runs_the_job(client, background, establishment):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import SchoolClassFactory, UserFactory

    staff_user = UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    TOTP.activate(staff_user, generate_totp_secret())
    client.force_login(staff_user)
    issued = pupils(SchoolClassFactory(establishment=establishment), 3)
    print_letters(client, issued)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    batch = LetterBatch.objects.get()
    assert batch.status == "done"
    download = client.post(reverse("admin:accounts_letterbatch_download", args=[batch.pk]))
    assert len(letters_in(download.content)) == 3
