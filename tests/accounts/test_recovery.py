"""E-mail verification, « Identifiant perdu », « Mot de passe perdu »."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in

NEW_PASSWORD = "Nouveau#Depart7"


def link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def verified(user, email):
    return EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


@pytest.fixture
def activated_with_email(client, issued, django_capture_on_commit_callbacks):
    sign_in(client, issued.identifier, issued.password)
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, email="theo@example.org")
    return User.objects.get(pk=issued.user.pk)


def test_the_verification_mail_leaves_only_once_the_activation_is_saved(
    client, issued, django_capture_on_commit_callbacks
):
    """Sent on commit: until the activation's transaction commits, no mail has left."""
    sign_in(client, issued.identifier, issued.password)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        activate(client, email="theo@example.org")
    assert len(callbacks) == 1 and mail.outbox == []
    assert EmailAddress.objects.filter(user=issued.user, email="theo@example.org").exists()


def test_an_address_given_at_activation_gets_a_verification_link(client, activated_with_email):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["theo@example.org"]
    assert "Vérifiez votre adresse mail" in message.subject
    assert "t.counen1" in message.body
    assert "simulation" in message.body
    address = EmailAddress.objects.get(user=activated_with_email)
    assert not address.verified
    page = page_of(client.get(reverse("accounts:home")))
    assert "en attente de vérification" in page and "Renvoyer le mail" in page


def test_the_link_verifies_the_address(client, activated_with_email):
    link = link_in(mail.outbox[0])
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=activated_with_email).verified
    page = page_of(client.get(reverse("accounts:home")))
    assert "vérifiée" in page and "Renvoyer le mail" not in page


def test_renvoyer_le_mail_sends_it_again(client, activated_with_email, settings):
    # allauth waits 3 minutes between two mails to one address: lift that for the test.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_email"), {"email": "theo@example.org", "action_send": ""})
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1])


def test_lost_identifier_sends_it_to_a_verified_address(client, pupil):
    verified(pupil, "theo@example.org")
    response = client.post(reverse("accounts:lost_identifier"), {"email": "Theo@Example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["theo@example.org"]
    assert pupil.username in mail.outbox[0].body


def test_a_family_address_gets_every_identifier(client, pupil):
    sibling = UserFactory(username="l.counen1")
    verified(pupil, "famille@example.org")
    verified(sibling, "famille@example.org")
    client.post(reverse("accounts:lost_identifier"), {"email": "famille@example.org"})
    assert pupil.username in mail.outbox[0].body and "l.counen1" in mail.outbox[0].body


def test_lost_identifier_reveals_nothing_about_unknown_or_unverified_addresses(client, pupil):
    EmailAddress.objects.create(user=pupil, email="nonverifiee@example.org", verified=False)
    known = verified(UserFactory(), "connue@example.org")
    pages = []
    for email in ["connue@example.org", "inconnue@example.org", "nonverifiee@example.org"]:
        response = client.post(reverse("accounts:lost_identifier"), {"email": email})
        pages.append(page_of(response).replace(email, "ADRESSE"))
    assert pages[0] == pages[1] == pages[2]
    assert known.user.username in mail.outbox[0].body
    for message in mail.outbox[1:]:
        assert pupil.username not in message.body
        assert "aucun compte n'a vérifié cette adresse" in message.body


def test_lost_identifier_explains_bad_input_and_sends_nothing(client, db):
    response = client.post(reverse("accounts:lost_identifier"), {"email": "pas une adresse"})
    assert "Saisissez une adresse mail valide" in page_of(response)
    assert mail.outbox == []


def test_lost_identifier_is_rate_limited_per_address(client, pupil):
    verified(pupil, "theo@example.org")
    for _ in range(3):
        client.post(reverse("accounts:lost_identifier"), {"email": "theo@example.org"})
    response = client.post(reverse("accounts:lost_identifier"), {"email": "theo@example.org"})
    assert "Trop de demandes" in page_of(response)
    assert len(mail.outbox) == 3


def test_password_reset_for_a_verified_address_obeys_the_policy(client, pupil):
    verified(pupil, "theo@example.org")
    client.post(reverse("account_reset_password"), {"email": "theo@example.org"})
    assert len(mail.outbox) == 1
    assert pupil.username in mail.outbox[0].body
    form = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link_in(mail.outbox[0])
    weak = client.post(form_url, {"password1": "faible", "password2": "faible"})
    assert "au moins 1 majuscule" in page_of(weak)
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    pupil.refresh_from_db()
    assert pupil.check_password(NEW_PASSWORD) and not pupil.check_password(GOOD_PASSWORD)


def test_password_reset_ignores_unverified_addresses(client, pupil):
    EmailAddress.objects.create(user=pupil, email="theo@example.org", verified=False)
    response = client.post(reverse("account_reset_password"), {"email": "theo@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "password/reset/key" not in mail.outbox[0].body
    assert "aucun compte n'a vérifié cette adresse" in mail.outbox[0].body


def test_a_provisional_account_is_told_to_use_its_letter(client, issued):
    verified(issued.user, "theo@example.org")
    client.post(reverse("account_reset_password"), {"email": "theo@example.org"})
    body = mail.outbox[0].body
    assert "mot de passe provisoire du courrier" in body
    assert "password/reset/key" not in body


def test_password_reset_answers_the_same_for_known_and_unknown(client, pupil):
    verified(pupil, "theo@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "theo@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_pupil_who_forgot_everything_gets_back_in_through_the_two_links(
    client, issued, django_capture_on_commit_callbacks
):
    # Activated with an address, verified it, then forgot identifier and password.
    sign_in(client, issued.identifier, issued.password)
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, email="theo@example.org")
    client.post(link_in(mail.outbox[0]))
    client.post(reverse("account_logout"))

    client.post(reverse("accounts:lost_identifier"), {"email": "theo@example.org"})
    assert issued.identifier in mail.outbox[-1].body

    client.post(reverse("account_reset_password"), {"email": "theo@example.org"})
    form = client.get(link_in(mail.outbox[-1]), follow=True)
    form_url = form.redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert "Identifiant ou mot de passe incorrect." in page_of(
        sign_in(client, issued.identifier, GOOD_PASSWORD)
    )
    assert sign_in(client, issued.identifier, NEW_PASSWORD)["Location"] == reverse(
        "portal:services"
    )
