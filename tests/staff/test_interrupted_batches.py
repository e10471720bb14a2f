"""A letter batch whose worker was killed mid-way (left « en cours », nothing written) is put
back in the queue when a worker starts (core.signals.worker_starting, sent by db_worker), and
made whole: every letter's password is the one stored; a batch already made is never made
twice."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from audit.models import Action, AuditEvent
from core.signals import worker_starting
from staff.models import LetterBatch
from tests.factories import UserFactory
from tests.helpers import job_pk, letters_in, print_letters, run_worker


@pytest.fixture
def pupils_of_a_class(school_class):
    return [
        UserFactory(school_class=school_class, first_name=name, last_name="Martin")
        for name in ["Inès", "Lucas", "Zoé"]
    ]


def test_a_batch_left_running_by_a_killed_worker_is_made_again_at_the_next_start(
    client, staff_user, pupils_of_a_class
):
    client.force_login(staff_user)
    response = print_letters(client, pupils_of_a_class)
    batch = LetterBatch.objects.get(pk=job_pk(response))
    # The worker took it (« en cours ») then was killed: its task is gone, nothing written.
    LetterBatch.objects.filter(pk=batch.pk).update(status=LetterBatch.Status.RUNNING, done=2)
    DBTaskResult.objects.all().delete()
    before = {u.pk: u.password for u in User.objects.filter(pk__in=batch.user_ids)}

    worker_starting.send(sender=None)
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.PENDING and batch.done == 0
    assert {u.pk: u.password for u in User.objects.filter(pk__in=batch.user_ids)} == before

    assert run_worker() == 1
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.DONE
    pdf = client.post(reverse("letter_job_download", args=[batch.pk]))
    printed = letters_in(pdf.content)
    assert set(printed) == {u.username for u in pupils_of_a_class}
    for user in User.objects.filter(pk__in=batch.user_ids):
        assert user.check_password(printed[user.username])
        assert (
            AuditEvent.objects.filter(action=Action.CREDENTIALS_REISSUED, subject=user).count() == 1
        )


def test_a_batch_already_made_is_not_made_twice(client, staff_user, pupils_of_a_class):
    client.force_login(staff_user)
    batch = LetterBatch.objects.get(pk=job_pk(print_letters(client, pupils_of_a_class)))
    run_worker()
    worker_starting.send(sender=None)
    assert run_worker() == 0
    batch.refresh_from_db()
    assert batch.status == LetterBatch.Status.DONE
