"""The projector view of a séance: first names in French alphabetical order, a legend that says
what a bar means, each bar's number as text, and the address the room types, in big type."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import page_of

NAMES = ["Zoé", "Anaïs", "Farid", "Élise", "Agathe", "Dylan", "Aëlys"]


@pytest.fixture
def teacher(establishment):
    user = UserFactory(staff_of=establishment, username="prof.principal")
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_user"]))
    return user


@pytest.fixture
def room(client, teacher, school_class):
    for first_name in NAMES:
        UserFactory(school_class=school_class, first_name=first_name, last_name="Martin")
    client.force_login(teacher)
    return client


def first_names(html):
    return re.findall(r'<span class="projection__name">([^<]*)</span>', html)


def test_the_projector_lists_first_names_in_french_order(room, school_class):
    """Aëlys before Agathe, Élise with the E (not after Zoé)."""
    response = room.get(reverse("seance_projection", args=[school_class.pk]))
    assert first_names(page_of(response)) == [
        "Aëlys",
        "Agathe",
        "Anaïs",
        "Dylan",
        "Élise",
        "Farid",
        "Zoé",
    ]


def test_the_projector_says_what_a_bar_means_and_its_numbers_as_text(room, school_class):
    page = page_of(room.get(reverse("seance_projection", args=[school_class.pk])))
    assert "Chaque barre : combien d'élèves ont atteint l'étape (sur 7 élèves)." in page
    assert re.search(r'data-step="issued">.*?7 sur 7</span>', page, re.S)
    assert re.search(r'data-step="pronote">.*?0 sur 7</span>', page, re.S)


def test_the_projector_shows_the_address_the_room_types(room, school_class, settings):
    page = page_of(room.get(reverse("seance_projection", args=[school_class.pk])))
    assert '<p class="projection__url" id="projection-url">http://testserver/</p>' in page
    settings.PUBLIC_URL = "http://192.168.1.20:8080"
    page = page_of(room.get(reverse("seance_projection", args=[school_class.pk])))
    assert "http://192.168.1.20:8080/" in page and "L'adresse à taper dans le navigateur" in page


def test_the_seance_cards_put_the_stuck_first_then_last_names_in_french_order(
    client, teacher, school_class
):
    for last_name, first_name in [
        ("Zidane", "Anaïs"),
        ("Émery", "Zoé"),
        ("Dupont", "Élise"),
        ("Dupont", "Aëlys"),
        ("De la Tour", "Farid"),
        ("Delaporte", "Agathe"),
    ]:
        UserFactory(school_class=school_class, first_name=first_name, last_name=last_name)
    UserFactory(school_class=school_class, first_name="Zacharie", last_name="Zola", expired=True)
    client.force_login(teacher)
    html = page_of(client.get(reverse("seance", args=[school_class.pk])))
    names = re.findall(r'<p class="seance-card__name"><strong>([^<]*)</strong>', html)
    assert names == [
        "Zacharie Zola",  # « Courrier expiré »: needs help
        "Agathe Delaporte",
        "Farid De la Tour",
        "Aëlys Dupont",
        "Élise Dupont",
        "Zoé Émery",
        "Anaïs Zidane",
    ]
