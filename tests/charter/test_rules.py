from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from charter.actions import do_accept_charter, do_publish_charter
from charter.models import Charter
from charter.rules import needs_acceptance


def test_a_user_who_never_accepted_must_accept(pupil, charter):
    assert needs_acceptance(pupil)


def test_accepting_the_charter_in_force_is_enough(pupil, charter):
    do_accept_charter(pupil, charter)
    assert not needs_acceptance(pupil)


def test_a_new_version_must_be_accepted_again(pupil, charter):
    do_accept_charter(pupil, charter)
    v2 = Charter.objects.create(version=2, title="Charte v2", body="Nouveau texte")
    assert not needs_acceptance(pupil)  # a draft is not in force
    do_publish_charter(v2)
    assert needs_acceptance(pupil)
    do_accept_charter(pupil, v2)
    assert not needs_acceptance(pupil)


def test_a_charter_published_in_the_future_is_not_yet_in_force(pupil, charter):
    do_accept_charter(pupil, charter)
    Charter.objects.create(
        version=2, title="v2", body="x", published_at=timezone.now() + timedelta(days=1)
    )
    assert not needs_acceptance(pupil)


def test_anonymous_visitors_and_a_portal_without_charter_need_nothing(pupil, db):
    Charter.objects.all().delete()
    assert not needs_acceptance(pupil)
    assert not needs_acceptance(AnonymousUser())


def test_the_gate_is_one_query_on_the_models_tables(pupil, charter, django_assert_num_queries):
    from charter.models import Acceptance
    from charter.rules import IN_FORCE_NOT_ACCEPTED

    assert f"FROM {Charter._meta.db_table}" in IN_FORCE_NOT_ACCEPTED
    assert f"FROM {Acceptance._meta.db_table}" in IN_FORCE_NOT_ACCEPTED
    with django_assert_num_queries(1):
        assert needs_acceptance(pupil)
