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


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("31/02/2012", "Cette date n'existe pas"),
        ("14/13/2012", "Cette date n'existe pas"),
        ("14/03/12000", "Cette date n'existe pas"),
        ("14/03/2099", "Cette date n'existe pas"),
        ("quatorze/03/2012", "ne s'écrit qu'avec des chiffres"),
        ("14//2012", "Saisissez votre date de naissance : mois manquant."),
        ("//", "Saisissez votre date de naissance : le jour, le mois et l'année."),
    ],
)
def test_an_impossible_birth_date_is_refused_with_what_is_wrong(
    client, signed_in, birth_date, message
):
    """Each mistake in the three boxes (« Jour », « Mois », « Année ») is named once."""
    response = activate(client, birth_date=birth_date)
    assert response.status_code == 200
    # Once under the boxes (the summary above the form repeats it as a link to them).
    page = page_of(response).split("<form", 1)[1]
    assert page.count(message) == 1
    assert User.objects.get(pk=signed_in.user.pk).is_provisional


def test_the_birth_date_is_typed_in_three_boxes_day_month_year(client, signed_in):
    """Day, month and year in their own boxes, whatever the phone's language; no date picker."""
    html = client.get(reverse("accounts:activate")).content.decode()
    for name, label, autocomplete in [
        ("birth_day", "Jour", "bday-day"),
        ("birth_month", "Mois", "bday-month"),
        ("birth_year", "Année", "bday-year"),
    ]:
        assert f'name="{name}"' in html
        assert f'for="id_{name}">{label}</label>' in html
        assert f'autocomplete="{autocomplete}"' in html
    assert 'type="date"' not in html
    assert activate(client, birth_date="14/3/2012").status_code == 302


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
    """Typed again after activation, the letter's password says the account already exists."""
    activate(client)
    client.logout()
    response = sign_in(client, signed_in.identifier, signed_in.password)
    assert response.status_code == 200
    page = page_of(response)
    assert "Votre compte est déjà créé : le mot de passe provisoire du courrier ne" in page
    assert "« Mot de passe perdu »" in page
    assert "Identifiant ou mot de passe incorrect." not in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1
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
    page = page_of(response).split("<form", 1)[1]
    assert page.count("Ce champ est obligatoire.") == 2  # the two passwords
    assert "Saisissez votre date de naissance : le jour, le mois et l'année." in page
    assert User.objects.get(pk=signed_in.user.pk).is_provisional


def test_a_wrong_password_that_is_not_the_letter_still_gets_the_generic_message(client, signed_in):
    """Only the letter's own password tells that the account exists and is activated."""
    activate(client)
    client.logout()
    for guess in ["Abcdefgh23", "x", "Soleil#Vert2"]:
        page = page_of(sign_in(client, signed_in.identifier, guess))
        assert "Identifiant ou mot de passe incorrect." in page
        assert "déjà créé" not in page


def test_the_steps_are_numbered_as_in_the_tutorial_and_the_letter(client, signed_in):
    """Étape 2 « Créer mon compte », 3 the form, 4 « Votre compte est créé » (1 is sign-in)."""
    assert "Étape 2 sur 4" in page_of(client.get(reverse("accounts:activation_start")))
    form = page_of(client.get(reverse("accounts:activate")))
    assert "Étape 3 sur 4" in form and "Étape suivante :</strong> Votre compte est créé" in form
    activate(client)
    assert "Étape 4 sur 4" in page_of(client.get(reverse("accounts:activated")))


def test_each_error_is_its_own_line_under_its_own_field(client, signed_in):
    """No error column beside the rules: one list item per error, right after its field."""
    html = activate(
        client, password2="autre", birth_date="31/02/2012", email="pas-une-adresse"
    ).content.decode()
    password2 = html.index('id="id_password2"')
    errors2 = html.index('<ul class="field-errors" id="password2-errors">')
    birth = html.index('id="id_birth_year"')
    errors_birth = html.index('<ul class="field-errors" id="birth-date-errors">')
    email = html.index('id="id_email"')
    errors_email = html.index('<ul class="field-errors" id="id_email-errors">')
    assert password2 < errors2 < birth < errors_birth < email < errors_email
    assert 'id="password1-errors"' not in html
    block = html[errors2 : html.index("</ul>", errors2)]
    assert block.count("<li>") == 1 and "ne sont pas identiques" in block
    assert 'aria-describedby="password2-rules password2-errors"' in html


def test_the_error_summary_links_to_each_field_in_error(client, signed_in):
    page = page_of(client.post(reverse("accounts:activate"), {}))
    summary = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    for target in ["#id_password1", "#id_password2", "#id_birth_day"]:
        assert f'href="{target}"' in summary
    assert "Votre date de naissance : Saisissez votre date de naissance" in summary


def test_no_error_summary_before_a_submit(client, signed_in):
    assert 'id="form-errors"' not in page_of(client.get(reverse("accounts:activate")))
