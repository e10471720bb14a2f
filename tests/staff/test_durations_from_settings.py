"""« 15 min », « 3 mois »: said from the settings that decide them, never written in."""

from django.core.management import load_command_class
from django.urls import reverse

from accounts import lockout
from accounts.models import User
from tests.factories import UserFactory
from tests.helpers import page_of, sign_in


def test_the_add_page_states_the_letter_s_validity(client, staff_user, settings):
    settings.PROVISIONAL_VALIDITY_MONTHS = 6
    client.force_login(staff_user)
    page = page_of(client.get(reverse("admin:accounts_user_add")))
    assert "Un mot de passe provisoire, valable 6 mois, est créé" in page


def test_the_departure_action_states_the_retention(client, staff_user, settings):
    settings.RETENTION_MONTHS_AFTER_DEPARTURE = 12
    client.force_login(staff_user)
    page = page_of(client.get(reverse("admin:accounts_user_changelist")))
    assert "données supprimées après 12 mois" in page
    assert "supprimées 12 mois après" in str(User._meta.get_field("departed_at").help_text)
    command = load_command_class("staff", "purge_departed")
    help_text = " ".join(command.create_parser("manage.py", "purge_departed").format_help().split())
    assert "le départ remonte à plus de 12 mois" in help_text


def test_the_list_and_the_sign_in_page_state_the_lockout_s_length(client, staff_user, settings):
    settings.LOCKOUT_SECONDS = 5 * 60
    pupil = UserFactory(activated=True, last_name="Bloque")
    for _ in range(settings.LOCKOUT_MAX_FAILURES):
        lockout.register_failure(pupil.username)
    refused = page_of(sign_in(client, pupil.username, "Mauvais#Essai1"))
    assert "bloquée pendant 5 minutes" in refused
    client.force_login(staff_user)
    page = page_of(client.get(reverse("admin:accounts_user_changelist"), {"q": "Bloque"}))
    assert "Compte bloqué (5 min)" in page
