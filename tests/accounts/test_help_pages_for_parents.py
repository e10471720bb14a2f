"""« Je n'ai pas de compte » and FranceConnect, for parents: the two real ways the simulation
offers, and an honest word on the one it does not."""

from django.urls import reverse

from tests.helpers import page_of


def test_je_n_ai_pas_de_compte_leads_parents_to_the_sms_registration(client, db):
    page = page_of(client.get(reverse("accounts:help", args=["je-n-ai-pas-de-compte"])))
    assert "Vous êtes parent ou responsable légal" in page
    assert reverse("families:register_start") in page


def test_franceconnect_says_plainly_that_it_is_not_simulated(client, db):
    page = page_of(client.get(reverse("accounts:help", args=["franceconnect"])))
    assert "ne simule pas FranceConnect" in page
    assert "ne se connecte jamais à FranceConnect" in page
    assert reverse("families:register_start") in page
