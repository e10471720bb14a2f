from django.urls import reverse

from families.models import DemoTextMessage
from tests.helpers import page_of


def test_the_demo_phone_shows_the_messages_of_a_fiction_number(client, db):
    """A class practises: the code sent to 06 39 98 00 01 is read on this page."""
    DemoTextMessage.objects.create(to="+33639980001", body="Votre code EduConnect : 482913")
    DemoTextMessage.objects.create(to="+33639980002", body="Pour quelqu'un d'autre : 111111")
    page = page_of(client.get(reverse("families:demo_phone"), {"numero": "06 39 98 00 01"}))
    assert "Messages reçus au 06 39 98 00 01" in page
    assert "482913" in page and "111111" not in page


def test_the_demo_phone_without_a_number_asks_for_one(client, db):
    page = page_of(client.get(reverse("families:demo_phone")))
    assert "Numéro du téléphone de démonstration" in page and "Messages reçus" not in page


def test_the_demo_phone_never_shows_a_real_number(client, db):
    page = page_of(client.get(reverse("families:demo_phone"), {"numero": "06 12 34 56 78"}))
    assert "Ce numéro n'est pas un numéro fictif" in page and "Messages reçus" not in page


def test_the_demo_phone_explains_a_mistyped_number_under_its_field(client, db):
    page = page_of(client.get(reverse("families:demo_phone"), {"numero": "06 12"}))
    assert "Saisissez un numéro de téléphone portable" in page
    assert 'aria-invalid="true"' in page
