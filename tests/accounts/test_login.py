import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.helpers import GOOD_PASSWORD, activate, page_of, sign_in

GENERIC = "Identifiant ou mot de passe incorrect."


def test_the_page_carries_the_seed_labels_and_links(client, db):
    page = page_of(client.get(reverse("account_login")))
    for label in [
        "J'accède aux services numériques des établissements scolaires",
        "Je simplifie mes accès avec FranceConnect",
        "J'utilise mes identifiants EduConnect",
        "Identifiant",
        "Mot de passe",
        "Se connecter",
        "Identifiant perdu",
        "Mot de passe perdu",
        "Je n'ai pas de compte",
        "Besoin d'aide ?",
        "Mentions légales",
        "Accessibilité",
        "FranceConnect",
    ]:
        assert label in page, label


def test_every_link_of_the_page_leads_to_a_real_page(client, db):
    page = client.get(reverse("account_login")).content.decode()
    links = set(re.findall(r'<a [^>]*href="(/[^"]*)"', page)) - {reverse("account_login")}
    assert len(links) >= 7
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, link
        assert "Simulation de formation." in response.content.decode(), link


def inputs(response):
    return {
        re.search(r'name="(\w+)"', tag).group(1): tag
        for tag in re.findall(r"<input [^>]*>", response.content.decode())
        if 'name="' in tag
    }


def test_the_fields_are_written_out_with_what_browsers_and_screen_readers_need(client, db):
    """The two fields are plain HTML in the template (Django's widget templates cost a third of
    the page): what the widgets gave must still be there."""
    fields = inputs(client.get(reverse("account_login")))
    assert fields["login"] == (
        '<input type="text" name="login" id="id_login" class="form-control" maxlength="150" '
        'required autocomplete="username" autocapitalize="none" spellcheck="false" '
        'aria-describedby="login-hint">'
    )
    assert fields["password"] == (
        '<input type="password" name="password" id="id_password" class="form-control" required '
        'autocomplete="current-password" aria-describedby="password-hint">'
    )
    # A wrong password: the identifier typed comes back (escaped), the password never does.
    fields = inputs(sign_in(client, 'x"<b>', "Pas#leBon1"))
    assert 'value="x&quot;&lt;b&gt;"' in fields["login"]
    assert "value=" not in fields["password"]
    # Empty fields: each says so, next to itself.
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    fields, page = inputs(response), response.content.decode()
    assert 'aria-invalid="true" aria-describedby="login-hint login-errors"' in fields["login"]
    assert 'aria-describedby="password-hint password-errors"' in fields["password"]
    assert 'id="login-errors"' in page and 'id="password-errors"' in page


def test_an_activated_user_signs_in_and_reaches_the_portal(client, db):
    user = UserFactory(password=GOOD_PASSWORD)
    response = sign_in(client, user.username, GOOD_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:services")
    assert client.get(reverse("portal:services")).status_code == 200


def test_the_identifier_is_not_case_sensitive(client, db):
    user = UserFactory(username="t.counen1", password=GOOD_PASSWORD)
    response = sign_in(client, "T.Counen1 ", GOOD_PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_and_unknown_identifier_give_the_same_message(client, issued):
    """Activated or not, known or not: one message, true for each (the letter's password no
    longer opens an activated account, so the message names both passwords)."""
    user = UserFactory(activated=True)
    wrong_password = sign_in(client, user.username, "Pas#leBon1")
    not_activated = sign_in(client, issued.identifier, "Pas#leBon1")
    unknown = sign_in(client, "x.personne1", "Pas#leBon1")
    messages = set()
    for response in (wrong_password, not_activated, unknown):
        assert response.status_code == 200
        page = page_of(response)
        assert GENERIC in page
        messages.add(re.search(rf"{GENERIC}[^<]*", page).group())
    assert "_auth_user_id" not in client.session
    assert messages == {
        f"{GENERIC} Vérifiez votre saisie : l'identifiant figure sur le courrier remis par "
        "votre établissement ; le mot de passe est celui du courrier, ou celui que vous avez "
        "choisi en créant votre compte."
    }


def test_an_expired_provisional_password_is_refused_with_its_own_message(client, issued):
    User.objects.filter(pk=issued.user.pk).update(
        provisional_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = sign_in(client, issued.identifier, issued.password)
    page = page_of(response)
    assert response.status_code == 200
    assert "Votre mot de passe provisoire a expiré" in page
    assert "nouveau courrier" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="expired_sign_in_refused", subject=issued.user).exists()


def test_an_expired_letter_with_a_wrong_password_gets_the_generic_message(client, issued):
    User.objects.filter(pk=issued.user.pk).update(
        provisional_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = sign_in(client, issued.identifier, "Pas#leBon1")
    assert GENERIC in response.content.decode()
    assert "expiré" not in response.content.decode()


def test_a_provisional_sign_in_leads_to_create_my_account(client, issued):
    response = sign_in(client, issued.identifier, issued.password)
    assert response["Location"] == reverse("accounts:activation_start")
    page = client.get(response["Location"]).content.decode()
    assert "Créer mon compte" in page
    assert issued.identifier in page


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:home",
        "accounts:activated",
        "admin:index",
        "account_change_password",
        "portal:services",
        "portal:ent_home",
        "charter:accept",
        "pronote:home",
        "pronote:timetable",
    ],
)
def test_a_provisional_user_reaches_no_other_page(client, issued, url_name):
    sign_in(client, issued.identifier, issued.password)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert reverse("account_login").rstrip("/") in response["Location"] or (
        reverse("admin:login") in response["Location"]
    )


def test_reissuing_signs_out_the_open_sessions(client, issued):
    sign_in(client, issued.identifier, issued.password)
    activate(client)
    assert client.get(reverse("accounts:home")).status_code == 200
    from accounts.actions import do_issue_credentials

    do_issue_credentials(issued.user)
    assert client.get(reverse("accounts:home")).status_code == 302


def test_there_is_no_open_sign_up(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("account_signup"),
        {"username": "pirate", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert not User.objects.filter(username="pirate").exists()


def test_an_unsafe_next_is_ignored(client, db):
    user = UserFactory(password=GOOD_PASSWORD)
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": user.username, "password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_whole_class_signs_in_from_one_school_address(client, db):
    template = UserFactory(password=GOOD_PASSWORD)
    pupils = UserFactory.create_batch(35)
    User.objects.filter(pk__in=[p.pk for p in pupils]).update(password=template.password)
    for pupil in pupils:
        client.logout()
        response = sign_in(client, pupil.username, GOOD_PASSWORD)
        assert response.status_code == 302, pupil.username


def test_five_failures_on_one_identifier_block_even_the_right_password(client, db):
    user = UserFactory(password=GOOD_PASSWORD)
    for _ in range(5):
        assert GENERIC in sign_in(client, user.username, "Pas#leBon1").content.decode()
    response = sign_in(client, user.username, GOOD_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    other = UserFactory(password=GOOD_PASSWORD)
    assert sign_in(client, other.username, GOOD_PASSWORD).status_code == 302
