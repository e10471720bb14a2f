"""The password rules shown above the new password are all the rules the server applies; a
wrong birth date keeps what the pupil typed and says how many tries are left."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.urls import reverse

from accounts.actions import do_issue_credentials
from tests.factories import ParentFactory
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in


def test_every_validator_the_server_applies_has_its_line_shown(client, issued):
    sign_in(client, issued.identifier, issued.password)
    page = page_of(client.get(reverse("accounts:activate")))
    validators = password_validation.get_default_password_validators()
    assert len(validators) == len(settings.AUTH_PASSWORD_VALIDATORS)
    for validator in validators:
        assert validator.get_help_text() in page, type(validator).__name__
    assert "pas votre date de naissance" in page


def test_the_birth_date_rule_is_refused_and_was_announced(client, issued):
    sign_in(client, issued.identifier, issued.password)
    page = page_of(activate(client, password1="Soleil#14032012", password2="Soleil#14032012"))
    assert "ne doit pas contenir votre date de naissance" in page
    assert "pas votre date de naissance" in page


def test_a_parent_is_not_told_a_birth_date_rule(client, db):
    parent_issued = do_issue_credentials(ParentFactory(username="s.counen1"))
    sign_in(client, parent_issued.identifier, parent_issued.password)
    page = page_of(client.get(reverse("accounts:activate")))
    assert "au moins 1 majuscule" in page
    assert "pas votre date de naissance" not in page


def test_a_wrong_birth_date_keeps_the_typed_passwords_and_counts_the_tries(client, issued):
    sign_in(client, issued.identifier, issued.password)
    response = activate(client, birth_date="15/03/2012")
    html = response.content.decode()
    assert html.count(f'value="{GOOD_PASSWORD}"') == 2
    left = settings.ACTIVATION_MAX_BIRTH_DATE_FAILURES - 1
    assert f"Encore {left} essais avant que le courrier soit bloqué." in page_of(response)


def test_the_last_try_is_said_in_the_singular(client, issued, settings):
    settings.ACTIVATION_MAX_BIRTH_DATE_FAILURES = 2
    sign_in(client, issued.identifier, issued.password)
    page = page_of(activate(client, birth_date="15/03/2012"))
    assert "Encore 1 essai avant que le courrier soit bloqué." in page


def test_a_refused_password_is_never_shown_again(client, issued):
    sign_in(client, issued.identifier, issued.password)
    html = activate(
        client, password1="soleil#vert22", password2="soleil#vert22", birth_date="15/03/2012"
    ).content.decode()
    assert 'value="soleil#vert22"' not in html


def test_a_parent_with_a_letter_is_told_a_parents_steps_and_advice(client, db):
    """Never « confirmer votre date de naissance » (not asked of a parent), never the pupil's
    « carnet de correspondance »."""
    parent_issued = do_issue_credentials(ParentFactory(username="s.counen1"))
    sign_in(client, parent_issued.identifier, parent_issued.password)
    page = page_of(client.get(reverse("accounts:activation_start")))
    assert "date de naissance" not in page and "donner votre adresse mail" in page
    from django.template.loader import render_to_string

    parent_issued.user.refresh_from_db()
    activated = render_to_string(
        "accounts/activated.html", {"user": parent_issued.user, "continue_url": "/"}
    )
    assert "carnet de correspondance" not in activated and "vos enfants" in activated
