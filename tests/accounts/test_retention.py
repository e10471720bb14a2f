from datetime import timedelta
from io import StringIO

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.actions import do_mark_departed, do_purge_user
from accounts.models import User
from audit.models import AuditEvent
from charter.actions import do_accept_charter
from charter.models import Acceptance
from pronote.models import Evaluation, Mark, SchoolLifeEvent, Subject
from tests.helpers import GOOD_PASSWORD, page_of, sign_in


def test_departure_closes_access_at_once(client_pupil, pupil, staff_user):
    assert client_pupil.get(reverse("portal:services")).status_code == 200
    do_mark_departed(pupil, actor=staff_user)
    assert client_pupil.get(reverse("portal:services")).status_code == 302
    response = sign_in(client_pupil, pupil.username, GOOD_PASSWORD)
    assert "Compte fermé" in page_of(client_pupil.get(response["Location"]))
    assert not pupil.enrolments.filter(left_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="departed", subject=pupil, actor=staff_user).exists()


def give_data(pupil, charter, school_class):
    do_accept_charter(pupil, charter)
    subject = Subject.objects.create(name="Mathématiques")
    evaluation = Evaluation.objects.create(
        school_class=school_class, subject=subject, title="Fractions", date=timezone.localdate()
    )
    Mark.objects.create(evaluation=evaluation, pupil=pupil, value=12)
    SchoolLifeEvent.objects.create(pupil=pupil, kind="absence", starts_at=timezone.now())
    EmailAddress.objects.create(user=pupil, email="theo@example.org", verified=True)


def run_purge(*args):
    out = StringIO()
    call_command("purge_departed", *args, stdout=out)
    return out.getvalue()


def test_purge_deletes_everything_three_months_after_departure(pupil, charter, school_class):
    give_data(pupil, charter, school_class)
    do_mark_departed(pupil)
    User.objects.filter(pk=pupil.pk).update(departed_at=timezone.now() - timedelta(days=93))

    listed = run_purge("--dry-run")
    assert pupil.username in listed and User.objects.filter(pk=pupil.pk).exists()

    run_purge()
    assert not User.objects.filter(pk=pupil.pk).exists()
    for model in (Mark, SchoolLifeEvent, Acceptance, EmailAddress):
        assert not model.objects.exists(), model
    purged = AuditEvent.objects.get(action="purged")
    assert purged.subject_label.startswith("compte supprimé")
    labels = AuditEvent.objects.values_list("subject_label", "actor_label")
    assert all(pupil.username not in f"{s}{a}" for s, a in labels)


def test_purge_keeps_those_who_left_recently_and_those_still_here(pupil, issued):
    do_mark_departed(pupil)
    User.objects.filter(pk=pupil.pk).update(departed_at=timezone.now() - timedelta(days=60))
    assert "0 compte supprimé." in run_purge()  # French plural: 0 is singular
    assert User.objects.filter(pk=pupil.pk).exists()


def test_the_purge_leaves_no_name_in_the_admin_s_own_change_log(client, pupil, charter):
    """Django's LogEntry kept « Théo Counen (t.counen1) » after the retention purge."""
    from django.contrib.admin.models import LogEntry

    from tests.factories import UserFactory

    staff = UserFactory(superuser=True)
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[pupil.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(username=pupil.username, last_name="Counen", first_name="Théo", email="")
    data.update(role=pupil.role, birth_date="14/03/2012")
    client.post(url, data)
    assert LogEntry.objects.filter(object_repr__contains="t.counen1").exists()
    do_mark_departed(pupil)
    do_purge_user(pupil)
    assert not LogEntry.objects.filter(object_repr__contains="Counen").exists()
    assert not LogEntry.objects.filter(object_repr__contains="t.counen1").exists()


def test_the_purge_leaves_no_name_in_the_admin_log_of_other_objects(
    client, pupil, school_class, staff_user
):
    """A mark added from the evaluation's page is logged on the evaluation, the pupil named in
    the change message: that row named the purged pupil still."""
    from django.contrib.admin.models import LogEntry

    evaluation = Evaluation.objects.create(
        school_class=school_class,
        subject=Subject.objects.create(name="Mathématiques"),
        title="Fractions",
        date=timezone.localdate(),
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:pronote_evaluation_change", args=[evaluation.pk]),
        {
            "school_class": school_class.pk,
            "subject": evaluation.subject.pk,
            "title": "Fractions",
            "date": evaluation.date.strftime("%d/%m/%Y"),
            "out_of": "20",
            "coefficient": "1",
            "marks-TOTAL_FORMS": "1",
            "marks-INITIAL_FORMS": "0",
            "marks-0-pupil": pupil.pk,
            "marks-0-value": "12",
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(evaluation.pk))
    assert pupil.username in entry.change_message  # the evaluation's row names the pupil
    do_mark_departed(pupil)
    do_purge_user(pupil)
    assert not LogEntry.objects.filter(change_message__contains=pupil.username).exists()
    assert not LogEntry.objects.filter(object_repr__contains=pupil.username).exists()
