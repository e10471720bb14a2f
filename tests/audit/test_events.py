import pytest
from django.contrib.auth.models import Permission

from audit.models import Action, AuditEvent, build, record
from tests.factories import UserFactory


def test_a_kind_of_event_is_not_a_database_choice(db):
    """Adding a kind to ``Action`` changes no table: the field has no choices."""
    assert not AuditEvent._meta.get_field("action").choices
    event = record(Action.UNLOCKED, subject_label="x")
    AuditEvent.objects.filter(pk=event.pk).update(action="kind_of_a_newer_version")
    assert AuditEvent.objects.get(pk=event.pk).action_label == "kind_of_a_newer_version"


def test_record_names_the_subject_and_the_actor_and_keeps_their_identifiers(db):
    pupil, secretary = UserFactory(pupil=True), UserFactory(staff=True)
    event = record(Action.UNLOCKED, subject=pupil, actor=secretary, ip="192.0.2.4", why="test")
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.subject, event.actor) == (pupil, secretary)
    assert (event.subject_label, event.actor_label) == (pupil.username, secretary.username)
    assert event.details == {"why": "test"} and event.action_label == "Identifiant débloqué"


def test_build_makes_unsaved_events_for_one_bulk_insert(db, django_assert_num_queries):
    pupils = [UserFactory(pupil=True) for _ in range(3)]
    events = [build(Action.CREDENTIALS_ISSUED, subject=pupil) for pupil in pupils]
    assert all(event.pk is None for event in events) and not AuditEvent.objects.exists()
    with django_assert_num_queries(1):
        AuditEvent.objects.bulk_create(events)
    assert set(AuditEvent.objects.values_list("subject_label", flat=True)) == {
        pupil.username for pupil in pupils
    }


def test_an_unknown_kind_is_refused_when_writing(db):
    with pytest.raises(ValueError):
        record("nothing_like_this")
    assert not AuditEvent.objects.exists()


def test_staff_permissions_on_the_trail_are_the_audit_app_s(db):
    assert Permission.objects.filter(
        content_type__app_label="audit", codename="view_auditevent"
    ).exists()
