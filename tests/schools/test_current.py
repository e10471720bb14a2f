from django.utils import timezone

from schools.current import current_enrolments, current_enrolments_queryset
from schools.models import Role
from tests.factories import EnrolmentFactory, EstablishmentFactory, UserFactory
from tests.helpers import field_values


def values(enrolment):
    """Every field of the enrolment, its establishment and its class."""
    return tuple(
        field_values(instance)
        for instance in (enrolment, enrolment.establishment, enrolment.school_class)
    )


def test_the_written_query_gives_what_the_orm_gives(db, django_assert_num_queries):
    parent = UserFactory(role=Role.PARENT)
    EnrolmentFactory(user=parent, school_class__establishment__name="Lycée B")  # with a class
    EnrolmentFactory(
        user=parent,
        school_class=None,
        establishment=EstablishmentFactory(name="Collège A", message="Réunion\nmardi"),
        role=Role.PARENT,
    )
    EnrolmentFactory(
        user=parent, school_class__establishment__name="Ancien", left_at=timezone.now()
    )
    EnrolmentFactory()  # someone else's
    with django_assert_num_queries(1):
        written = current_enrolments(parent)
        assert [values(e) for e in written]  # no lazy loading of establishment or class
    expected = list(current_enrolments_queryset(parent))
    assert [e.establishment.name for e in written] == ["Collège A", "Lycée B"]
    assert [values(e) for e in written] == [values(e) for e in expected]
    assert timezone.is_aware(written[0].enrolled_at)  # converted like the ORM (SQLite too)
    assert not written[0]._state.adding


def test_someone_without_a_current_enrolment_has_none(db):
    assert current_enrolments(UserFactory()) == []
