"""After sign-in a parent goes the pupils' way: services, the charter, the ENT with each
child's establishment in « Mes portails », then PRONOTE."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import EstablishmentFactory, ParentFactory, SchoolClassFactory, UserFactory
from tests.helpers import GOOD_PASSWORD, page_of, sign_in


@pytest.fixture
def parent(school_class, charter):
    theo = UserFactory(activated=True, school_class=school_class, first_name="Théo")
    lina = UserFactory(
        activated=True,
        school_class=SchoolClassFactory(
            establishment=EstablishmentFactory(name="Cité scolaire Henri IV")
        ),
        first_name="Lina",
        birth_date=date(2010, 10, 3),
    )
    return ParentFactory(activated=True, username="s.counen1", children=[theo, lina])


def test_a_parent_goes_through_services_charter_ent_and_pronote(client, parent):
    response = sign_in(client, "s.counen1", GOOD_PASSWORD)
    assert response["Location"] == reverse("portal:services")
    assert client.get(reverse("portal:services")).status_code == 200
    ent = client.get(reverse("portal:ent_home"))
    assert ent.status_code == 302 and ent["Location"].startswith(reverse("charter:accept"))
    client.post(reverse("charter:accept"), {"accept": "on"})
    home = page_of(client.get(reverse("portal:ent_home")))
    assert "Bienvenue sur l'Espace Numérique de Travail" in home
    assert "Cité scolaire Henri IV" in home and "Collège Alfred Bruzet" in home
    assert client.get(reverse("pronote:grades"))["Location"] == reverse("pronote:home")
    client.post(reverse("pronote:home"))
    assert "Espace Parents" in page_of(client.get(reverse("pronote:timetable")))
