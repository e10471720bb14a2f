import pytest
from django.urls import reverse

from portal.services import NOT_SIMULATED
from tests.helpers import page_of


def test_the_services_page_has_the_seed_tiles_and_the_school_message(client_pupil, pupil):
    page = page_of(client_pupil.get(reverse("portal:services")))
    for label in [
        "Scolarité services",
        "Mon compte",
        "Accueil",
        "Orientation",
        "Affectation après la 3e",
        "Fiche de renseignements",
        "Bourse de collège",
        "ENVIRONNEMENT NUMERIQUE DE TRAVAIL",
        "Collège Alfred Bruzet",
        "Contact",
        "Retour",
        "Message de l'établissement",
        "Bienvenue au collège.",
    ]:
        assert label in page, label


def test_the_services_page_follows_every_sign_in(client, pupil):
    from tests.helpers import GOOD_PASSWORD, sign_in

    assert sign_in(client, pupil.username, GOOD_PASSWORD)["Location"] == reverse("portal:services")


@pytest.mark.parametrize("slug", sorted(NOT_SIMULATED))
def test_tiles_not_simulated_say_so(client_pupil, slug):
    response = client_pupil.get(reverse("portal:not_simulated", args=[slug]))
    assert response.status_code == 200
    assert "Pas dans cette simulation" in page_of(response)


def test_an_unknown_service_is_not_found(client_pupil):
    assert client_pupil.get(reverse("portal:not_simulated", args=["cantine"])).status_code == 404


def test_every_link_of_the_services_page_works(client_pupil, charter):
    import re

    page = client_pupil.get(reverse("portal:services")).content.decode()
    links = set(re.findall(r'<a [^>]*href="(/[^"]*)"', page))
    assert len(links) >= 9
    for link in links:
        assert client_pupil.get(link, follow=True).status_code == 200, link


def test_contact_names_the_establishment(client_pupil):
    page = page_of(client_pupil.get(reverse("portal:contact")))
    assert "Collège Alfred Bruzet" in page
    assert "secrétariat" in page


def test_the_services_page_needs_a_sign_in(client, db):
    response = client.get(reverse("portal:services"))
    assert response["Location"].startswith(reverse("account_login"))
