import pytest
from django.urls import reverse

from portal.profiles import EDUCONNECT_PROFILES, PROFILES
from tests.helpers import page_of


def test_the_landing_page_says_se_connecter_and_leads_to_the_profile_choice(client, db):
    page = page_of(client.get(reverse("portal:landing")))
    assert "Se connecter" in page
    assert f'href="{reverse("portal:profile_choice")}"' in page
    assert "Simulation de formation." in page


def test_the_profile_choice_has_the_seed_options(client, db):
    page = page_of(client.get(reverse("portal:profile_choice")))
    assert "Vous souhaitez vous connecter à votre ENT en tant que :" in page
    for label in [
        "de l'académie de Montpellier avec EduConnect",
        "de l'académie de Toulouse",
        "de l'enseignement agricole",
        "du lycée de la mer Paul Bousquet ou du CSES Jean Lagarde",
        "Enseignant",
        "Personnel non enseignant",
        "Autres comptes et invités",
        "Valider",
    ]:
        assert label in page, label


@pytest.mark.parametrize("profile", sorted(EDUCONNECT_PROFILES))
def test_educonnect_profiles_lead_to_the_educonnect_sign_in(client, db, profile):
    response = client.get(reverse("portal:profile_choice"), {"profil": profile, "valider": "1"})
    assert response["Location"] == reverse("account_login")


@pytest.mark.parametrize("profile", sorted(set(PROFILES) - EDUCONNECT_PROFILES))
def test_other_profiles_lead_to_an_honest_page_with_a_way_on(client, db, profile):
    response = client.get(
        reverse("portal:profile_choice"), {"profil": profile, "valider": "1"}, follow=True
    )
    assert response.status_code == 200
    page = page_of(response)
    assert "Dans cette simulation" in page
    staff = profile in {"enseignant", "personnel"}
    sign_in = reverse("accounts:staff_login") if staff else reverse("account_login")
    assert f'href="{sign_in}"' in page


def test_validating_without_a_choice_explains(client, db):
    response = client.get(reverse("portal:profile_choice"), {"valider": "1"})
    assert response.status_code == 200
    assert "Choisissez un profil" in page_of(response)


def test_an_unknown_profile_is_refused(client, db):
    response = client.get(reverse("portal:profile_choice"), {"profil": "pirate", "valider": "1"})
    assert response.status_code == 200
    assert "Choisissez un des profils de la liste." in page_of(response)
    assert client.get(reverse("portal:profile_info", args=["pirate"])).status_code == 404
