"""The test kit itself: every model has a factory that makes a valid, saved row."""

import pytest
from django.apps import apps

from tests import factories

PROJECT_APPS = {
    "audit",
    "schools",
    "accounts",
    "families",
    "charter",
    "portal",
    "pronote",
    "staff",
}


def all_factories():
    return [
        value
        for value in vars(factories).values()
        if isinstance(value, type)
        and issubclass(value, factories.factory.django.DjangoModelFactory)
        and value is not factories.factory.django.DjangoModelFactory
    ]


def test_every_model_of_the_project_has_a_factory():
    covered = {factory._meta.model for factory in all_factories()}
    models = {model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS}
    assert models - covered == set()


@pytest.mark.parametrize("factory", all_factories(), ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_saved_row(db, factory):
    row = factory()
    row.full_clean(exclude=["password", "public_key"])
    assert type(row).objects.filter(pk=row.pk).exists() and str(row)


def test_the_staff_of_a_school_is_enrolled_there_with_a_totp_key(db):
    from allauth.mfa.models import Authenticator

    school = factories.EstablishmentFactory()
    secretary = factories.UserFactory(staff_of=school)
    assert secretary.is_staff and not secretary.is_superuser
    assert secretary.enrolments.get().establishment == school
    assert Authenticator.objects.filter(user=secretary, type="totp").exists()


def test_a_pupil_with_a_letter_signs_in_with_it(client, db):
    from tests.helpers import sign_in

    pupil = factories.UserFactory(provisional=True)
    response = sign_in(client, pupil.username, factories.PROVISIONAL_PASSWORD)
    assert response["Location"] == "/educonnect/activation/"
    assert pupil.enrolments.get().school_class is not None
