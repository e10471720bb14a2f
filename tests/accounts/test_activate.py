import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in


@pytest.fixture
def signed_in(client, issued):
    sign_in(client, issued.identifier, issued.password)
    return issued


def test_the_form_shows_the_rule_and_the_seed_labels(client, signed_in):
    page = page_of(client.get(reverse("accounts:activate")))
    for text in [
        "au moins 8 caractères",
        "au moins 1 majuscule",
        "!?@#&=+-%<>",
        "Votre date de naissance",
        "Votre adresse mail si vous en avez une",
        "Activer votre compte",
    ]:
        assert text in page, text


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab#1", "trop court"),
        ("soleil#vert22", "au moins 1 majuscule"),
        ("SoleilVert22", "au moins 1 caractère spécial"),
        ("Password1!", "trop courant"),
        ("T.Counen1!", "trop semblable"),
    ],
)
def test_each_broken_rule_is_refused_and_named(client, signed_in, password, message):
    response = activate(client, password1=password, password2=password)
    assert response.status_code == 200
    assert message in page_of(response)
    user = User.objects.get(pk=signed_in.user.pk)
    assert user.is_provisional and user.check_password(signed_in.password)


def test_all_broken_rules_are_named_at_once(client, signed_in):
    page = page_of(activate(client, password1="abc", password2="abc"))
    assert "trop court" in page
    assert "au moins 1 majuscule" in page
    assert "au moins 1 caractère spécial" in page


def test_the_two_passwords_must_match(client, signed_in):
    page = page_of(activate(client, password2="Soleil#Vert23"))
    assert "Les deux mots de passe ne sont pas identiques." in page


def test_a_provisional_password_can_never_pass_the_rule(client, signed_in):
    # Its alphabet has no special character: keeping it is impossible without a history check.
    page = page_of(activate(client, password1=signed_in.password, password2=signed_in.password))
    assert "au moins 1 caractère spécial" in page
    assert User.objects.get(pk=signed_in.user.pk).is_provisional


def test_a_wrong_birth_date_is_refused_and_audited(client, signed_in):
    response = activate(client, birth_date="15/03/2012")
    assert "ne correspond pas" in page_of(response)
    assert User.objects.get(pk=signed_in.user.pk).is_provisional
    assert AuditEvent.objects.filter(action="activation_birth_date_mismatch").count() == 1


@pytest.mark.parametrize("birth_date", ["31/02/2012", "demain", "", "2012-13-01"])
def test_an_impossible_birth_date_is_refused_clearly(client, signed_in, birth_date):
    response = activate(client, birth_date=birth_date)
    assert response.status_code == 200
    page = page_of(response)
    assert "Saisissez une date valide" in page or "Ce champ est obligatoire." in page
    assert User.objects.get(pk=signed_in.user.pk).is_provisional


def test_the_birth_date_is_accepted_in_the_browser_date_format(client, signed_in):
    assert activate(client, birth_date="2012-03-14").status_code == 302


def test_a_malformed_email_is_refused(client, signed_in):
    page = page_of(activate(client, email="pas-une-adresse"))
    assert "Saisissez une adresse mail valide" in page
    assert User.objects.get(pk=signed_in.user.pk).is_provisional


def test_success_replaces_the_password_and_shows_the_identifier(client, signed_in):
    response = activate(client, email="theo@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:activated")
    page = page_of(client.get(response["Location"]))
    assert "Votre compte est créé" in page
    assert signed_in.identifier in page
    assert "ne pas oublier votre identifiant" in page
    user = User.objects.get(pk=signed_in.user.pk)
    assert not user.is_provisional and user.activated_at is not None
    assert user.provisional_expires_at is None and user.provisional_issued_by is None
    assert user.email == "theo@example.org"
    assert user.check_password(GOOD_PASSWORD)
    event = AuditEvent.objects.get(action="account_activated")
    assert event.subject == user and GOOD_PASSWORD not in str(event.details)


def test_the_provisional_password_never_works_again(client, signed_in):
    activate(client)
    client.logout()
    response = sign_in(client, signed_in.identifier, signed_in.password)
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert sign_in(client, signed_in.identifier, GOOD_PASSWORD)["Location"] == reverse(
        "portal:services"
    )


def test_a_pupil_who_abandons_resumes_the_activation_at_the_next_sign_in(client, issued):
    sign_in(client, issued.identifier, issued.password)
    activate(client, password2="Autre#Chose1")  # a failed attempt, then the tab is closed
    client.cookies.clear()
    response = sign_in(client, issued.identifier, issued.password)
    assert response["Location"] == reverse("accounts:activation_start")
    assert activate(client).status_code == 302


def test_the_activation_form_needs_a_provisional_sign_in(client, db):
    response = client.get(reverse("accounts:activate"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


def test_cancelling_goes_back_to_the_sign_in_page(client, signed_in):
    response = client.post(reverse("accounts:activation_cancel"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:activate")).status_code == 302


def test_an_account_activated_meanwhile_is_not_activated_twice(client, signed_in):
    from accounts.actions import do_activate_account

    do_activate_account(signed_in.user, new_password="Autre#Motdepasse1")
    response = activate(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    user = User.objects.get(pk=signed_in.user.pk)
    assert user.check_password("Autre#Motdepasse1")
    assert AuditEvent.objects.filter(action="account_activated").count() == 1


def test_an_empty_post_names_every_missing_field(client, signed_in):
    response = client.post(reverse("accounts:activate"), {})
    assert response.status_code == 200
    assert page_of(response).count("Ce champ est obligatoire.") == 3
    assert User.objects.get(pk=signed_in.user.pk).is_provisional
