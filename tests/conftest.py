from datetime import date

import pytest
from django.core.cache import cache

from accounts.actions import do_create_account
from tests.factories import EstablishmentFactory, SchoolClassFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache: no test inherits another's attempts.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(name="Collège Alfred Bruzet")


@pytest.fixture
def school_class(establishment):
    return SchoolClassFactory(establishment=establishment, division="4e B")


@pytest.fixture
def issued(school_class):
    """A pupil with a fresh letter: ``issued.identifier`` and ``issued.password``."""
    return do_create_account(
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
    )


@pytest.fixture
def staff_user(db):
    return UserFactory(
        username="secretariat",
        is_staff=True,
        is_superuser=True,
        role="personnel",
        first_name="Anne",
        last_name="Secrétaire",
    )
