"""Path 2 for parents: the letter. Staff print it from « Imprimer les courriers »; it lists
the children; activating it asks for a password and a mandatory e-mail address, and the
account opens only once that address is confirmed by its link."""

import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import ParentFactory, UserFactory
from tests.helpers import (
    GOOD_PASSWORD,
    activate,
    downloaded,
    letters_in,
    page_of,
    print_letters,
    sign_in,
)


def link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


@pytest.fixture
def parent_letter(client, staff_user, school_class):
    """A letter printed by staff for Sandrine Counen, responsable of Théo and Tom."""
    theo = UserFactory(school_class=school_class, first_name="Théo", last_name="Counen")
    tom = UserFactory(
        school_class=school_class,
        first_name="Tom",
        last_name="Counen",
        birth_date=date(2011, 8, 27),
    )
    parent = ParentFactory(
        first_name="Sandrine", last_name="Counen", username="s.counen1", children=[theo, tom]
    )
    client.force_login(staff_user)
    response = downloaded(client, print_letters(client, [parent]))
    client.logout()
    return parent, response


def test_staff_print_a_parent_letter_that_lists_the_children(parent_letter):
    parent, response = parent_letter
    assert response["Content-Type"] == "application/pdf"
    letters = letters_in(response.content)
    assert list(letters) == ["s.counen1"]
    parent.refresh_from_db()
    assert parent.check_password(letters["s.counen1"]) and parent.is_provisional
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # « 4e B » never split across lines: a non-breaking space.
    assert text.count("Counen — Collège Alfred Bruzet, 4e\u00a0B") == 2  # Théo and Tom
    assert "adresse mail (obligatoire)" in text


def test_a_parent_activates_without_birth_date_but_with_a_mandatory_address(
    client, parent_letter, django_capture_on_commit_callbacks
):
    parent, response = parent_letter
    password = letters_in(response.content)["s.counen1"]
    assert sign_in(client, "s.counen1", password)["Location"] == reverse(
        "accounts:activation_start"
    )
    form = page_of(client.get(reverse("accounts:activate")))
    assert "Votre date de naissance" not in form and "Votre adresse mail" in form
    page = page_of(activate(client, email=""))
    assert "Saisissez votre adresse mail." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = activate(client, email="sandrine@example.org")
    assert response["Location"] == reverse("accounts:email_required")
    page = page_of(client.get(response["Location"]))
    assert "Votre compte est créé" in page and "s.counen1" in page
    assert "Confirmez votre adresse mail" in page and "sandrine@example.org" in page
    # Not signed in yet: the ENT stays closed.
    assert client.get(reverse("portal:services"))["Location"].startswith(reverse("account_login"))
    assert len(mail.outbox) == 1


def test_the_account_opens_only_once_the_address_is_confirmed(
    client, parent_letter, django_capture_on_commit_callbacks
):
    parent, response = parent_letter
    sign_in(client, "s.counen1", letters_in(response.content)["s.counen1"])
    with django_capture_on_commit_callbacks(execute=True):
        activate(client, email="sandrine@example.org")
    client.get(reverse("accounts:email_required"))

    # Signing in again before confirming stops at the same page.
    response = sign_in(client, "s.counen1", GOOD_PASSWORD)
    assert response["Location"] == reverse("accounts:email_required")

    link = link_in(mail.outbox[0])
    client.post(link)
    assert EmailAddress.objects.get(user=parent).verified
    response = client.get(sign_in(client, "s.counen1", GOOD_PASSWORD)["Location"], follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == parent


def test_renvoyer_le_mail_from_the_waiting_page(client, parent_letter, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    parent, response = parent_letter
    sign_in(client, "s.counen1", letters_in(response.content)["s.counen1"])
    activate(client, email="sandrine@example.org")
    client.post(reverse("accounts:email_required"), {"resend": "1"})
    assert len(mail.outbox) == 1 and "sandrine@example.org" in mail.outbox[0].to


def test_ce_n_est_pas_moi_ends_the_pending_sign_in(client, parent_letter):
    parent, response = parent_letter
    sign_in(client, "s.counen1", letters_in(response.content)["s.counen1"])
    activate(client, email="sandrine@example.org")
    response = client.post(reverse("accounts:email_required"), {"cancel": "1"})
    assert response.status_code == 302
    assert client.get(reverse("accounts:email_required"))["Location"] == reverse("account_login")


def test_the_sign_in_page_never_resumes_a_parent_waiting_for_the_link(client, parent_letter):
    """A shared computer: the next person who opens the sign-in page gets an empty one, not
    « Votre compte est créé — s.counen1 — sandrine@example.org »."""
    parent, response = parent_letter
    sign_in(client, "s.counen1", letters_in(response.content)["s.counen1"])
    activate(client, email="sandrine@example.org")
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    assert "s.counen1" not in page_of(page) and "sandrine@example.org" not in page_of(page)
    assert client.get(reverse("accounts:email_required"))["Location"] == reverse("account_login")
    # Her account waits for the link as before: signing in again stops at the same page.
    response = sign_in(client, "s.counen1", GOOD_PASSWORD)
    assert response["Location"] == reverse("accounts:email_required")


def test_a_pupil_is_never_asked_to_confirm_an_address(client, issued):
    sign_in(client, issued.identifier, issued.password)
    response = activate(client, email="theo@example.org")
    assert response["Location"] == reverse("accounts:activated")
