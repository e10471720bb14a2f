"""« 3 mois », « 15 minutes », « 5 essais »: the help pages and « Compte fermé » say what the
settings decide, with French plurals, never numbers written into the templates."""

from django.test import override_settings
from django.urls import reverse

from tests.helpers import page_of


def help_page(client, slug):
    return page_of(client.get(reverse("accounts:help", args=[slug])))


def test_the_help_pages_state_the_numbers_of_the_real_services_by_default(client, db):
    """3 months, 5 attempts, 15 minutes: the defaults of ent_portal/settings.py, as ever."""
    need_help = help_page(client, "besoin-d-aide")
    assert "Le courrier n'est valable que 3 mois" in need_help
    assert (
        "Après 5 essais manqués, le compte est bloqué 15 minutes, même avec le bon mot de passe. "
        "C'est temporaire : attendez 15 minutes, ou demandez" in need_help
    )
    assert "Le mot de passe provisoire est valable 3 mois." in help_page(
        client, "je-n-ai-pas-de-compte"
    )
    assert "supprimées dans un délai de 3 mois." in help_page(client, "mentions-legales")
    closed = page_of(client.get(reverse("account_inactive")))
    assert "Ses données sont supprimées 3 mois après le départ." in closed


@override_settings(LOCKOUT_MAX_FAILURES=1, LOCKOUT_SECONDS=60, PROVISIONAL_VALIDITY_MONTHS=6)
def test_besoin_d_aide_follows_the_lockout_and_the_letter_s_validity(client, db):
    """One attempt and one minute are singular; six months are « 6 mois »."""
    page = help_page(client, "besoin-d-aide")
    assert "Le courrier n'est valable que 6 mois" in page
    assert "Après 1 essai manqué, le compte est bloqué 1 minute, même" in page
    assert "attendez 1 minute, ou demandez" in page
    assert "15 minutes" not in page and "3 mois" not in page


@override_settings(LOCKOUT_MAX_FAILURES=3, LOCKOUT_SECONDS=150)
def test_a_lockout_of_a_part_of_a_minute_is_said_in_whole_minutes(client, db):
    """150 seconds are « 3 minutes », rounded up like the sign-in page's message."""
    assert "Après 3 essais manqués, le compte est bloqué 3 minutes" in help_page(
        client, "besoin-d-aide"
    )


@override_settings(PROVISIONAL_VALIDITY_MONTHS=1)
def test_je_n_ai_pas_de_compte_follows_the_letter_s_validity(client, db):
    page = help_page(client, "je-n-ai-pas-de-compte")
    assert "Le mot de passe provisoire est valable 1 mois. Passé ce délai" in page


@override_settings(RETENTION_MONTHS_AFTER_DEPARTURE=12)
def test_the_legal_page_and_compte_ferme_follow_the_retention(client, db):
    legal = help_page(client, "mentions-legales")
    assert "supprimées dans un délai de 12 mois." in legal
    closed = page_of(client.get(reverse("account_inactive")))
    assert "Ses données sont supprimées 12 mois après le départ." in closed
    assert "trois mois" not in legal + closed
