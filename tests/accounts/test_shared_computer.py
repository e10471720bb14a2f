"""A classroom computer is shared: a half-finished activation must never greet the next pupil."""

import re
import time

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.flows.activation import OTHER_TAB
from accounts.flows.activation import SEEN_AT as ACTIVATION_SEEN_AT
from accounts.models import User
from tests.helpers import activate, page_of, sign_in


def test_ce_n_est_pas_moi_returns_to_an_empty_sign_in(client, issued):
    """« Ce n'est pas moi » is on both activation screens and ends the pending activation."""
    sign_in(client, issued.identifier, issued.password)
    for name in ["accounts:activation_start", "accounts:activate"]:
        page = page_of(client.get(reverse(name)))
        assert "Vous n'êtes pas Théo (t.counen1) ?" in page
        assert "Ce n'est pas moi" in page
    response = client.post(reverse("accounts:activation_cancel"))
    assert response["Location"] == reverse("account_login")
    login = client.get(reverse("account_login")).content.decode()
    assert 'value="t.counen1"' not in login
    assert "Théo" not in page_of(client.get(reverse("accounts:activation_start"), follow=True))
    assert client.get(reverse("accounts:activation_start"))["Location"] == reverse("account_login")


def test_an_activation_left_idle_ends_with_an_explanation(client, issued):
    """After ACTIVATION_IDLE_SECONDS without a request, the next person sees the sign-in page."""
    sign_in(client, issued.identifier, issued.password)
    assert client.get(reverse("accounts:activation_start")).status_code == 200
    session = client.session
    session[ACTIVATION_SEEN_AT] = time.time() - settings.ACTIVATION_IDLE_SECONDS - 1
    session.save()
    response = client.get(reverse("accounts:activation_start"), follow=True)
    page = page_of(response)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "interrompue après 10 minutes sans activité" in page
    assert "Bonjour Théo" not in page
    # The pending sign-in is gone: the form is not reachable either.
    assert client.get(reverse("accounts:activate"))["Location"] == reverse("account_login")


@override_settings(ACTIVATION_IDLE_SECONDS=60)
def test_the_idle_limit_is_said_from_its_setting(client, issued):
    """One minute is singular."""
    sign_in(client, issued.identifier, issued.password)
    session = client.session
    session[ACTIVATION_SEEN_AT] = time.time() - 61
    session.save()
    page = page_of(client.get(reverse("accounts:activation_start"), follow=True))
    assert "interrompue après 1 minute sans activité" in page


def test_an_activation_in_progress_is_not_ended_while_the_pupil_works(client, issued):
    sign_in(client, issued.identifier, issued.password)
    session = client.session
    session[ACTIVATION_SEEN_AT] = time.time() - settings.ACTIVATION_IDLE_SECONDS + 30
    session.save()
    assert client.get(reverse("accounts:activate")).status_code == 200
    assert time.time() - client.session[ACTIVATION_SEEN_AT] < 5  # each page renews it


def test_the_pending_activation_ends_with_the_browser(client, issued):
    """The session cookie that holds it has no expiry date: closing the browser forgets it."""
    response = sign_in(client, issued.identifier, issued.password)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_opening_the_sign_in_page_abandons_a_pending_activation(client, issued):
    """Noah closes the tab on « Créer mon compte »; the next pupil opens the sign-in page in a
    new tab of the same browser: an empty sign-in, and the activation is gone for good."""
    sign_in(client, issued.identifier, issued.password)
    assert "Bonjour Théo" in page_of(client.get(reverse("accounts:activation_start")))
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    page = page_of(response)
    assert "Théo" not in page and "Étape 2 sur 4" not in page
    assert client.get(reverse("accounts:activation_start"))["Location"] == reverse("account_login")
    assert client.get(reverse("accounts:activate"))["Location"] == reverse("account_login")


def test_the_idle_limit_is_said_with_a_way_to_extend_it(client, issued):
    """RGAA 2.2: the limit is announced on both steps, with « Je suis encore là »."""
    sign_in(client, issued.identifier, issued.password)
    for name in ["accounts:activation_start", "accounts:activate"]:
        page = page_of(client.get(reverse(name)))
        assert "Sans activité pendant 10 minutes, l'activation s'arrête" in page
        assert "Je suis encore là" in page


@override_settings(ACTIVATION_IDLE_SECONDS=120)
def test_a_limit_of_two_minutes_warns_one_minute_before(client, issued):
    """Not « Plus que 2 minutes » at once: the warning says the last minute, when it comes
    (static/js/idle-limit.js reads data-warn-minutes; tests/e2e/test_idle_limit.py)."""
    sign_in(client, issued.identifier, issued.password)
    page = page_of(client.get(reverse("accounts:activate")))
    assert 'data-warn-minutes="1"' in page
    assert "Plus que 1 minute avant l'arrêt de l'activation" in page
    assert "Plus que 2 minutes" not in page


def test_je_suis_encore_la_starts_the_idle_limit_again(client, issued):
    sign_in(client, issued.identifier, issued.password)
    session = client.session
    session[ACTIVATION_SEEN_AT] = time.time() - settings.ACTIVATION_IDLE_SECONDS + 30
    session.save()
    response = client.post(
        reverse("accounts:activation_extend"), {"next": reverse("accounts:activate")}
    )
    assert response["Location"] == reverse("accounts:activate")
    assert time.time() - client.session[ACTIVATION_SEEN_AT] < 5
    # From the page's script: nothing to show, the page and what is typed stay.
    response = client.post(reverse("accounts:activation_extend"), HTTP_X_ACTIVATION_EXTEND="1")
    assert response.status_code == 204


def test_extending_never_leads_off_the_activation(client, issued):
    sign_in(client, issued.identifier, issued.password)
    response = client.post(reverse("accounts:activation_extend"), {"next": "https://evil.test/"})
    assert response["Location"] == reverse("accounts:activate")


def test_nothing_is_extended_without_a_pending_activation(client, db):
    response = client.post(reverse("accounts:activation_extend"))
    assert response["Location"] == reverse("account_login")


def tab_attributes(response):
    """What the activation page hands static/js/activation-tab.js: (value, claim)."""
    script = re.search(r'<script src="[^"]*activation-tab[^"]*"[^>]*>', response.content.decode())
    assert script, "the page carries the tab's script"
    value = re.search(r'data-tab="([^"]*)"', script.group(0)).group(1)
    return value, " data-claim" in script.group(0)


def test_the_activation_hands_its_tab_a_value_once(client, issued):
    """The first page after the sign-in gives the tab its value; every later page, on either
    step, carries the same value for the check, never the claim (a new tab typed by hand gets
    a later page, whose script ends the activation: tests/e2e/test_shared_computer.py)."""
    response = sign_in(client, issued.identifier, issued.password)
    assert response["Location"] == reverse("accounts:activation_start")
    value, claim = tab_attributes(client.get(reverse("accounts:activation_start")))
    assert claim and len(value) >= 16
    for name in ["accounts:activation_start", "accounts:activate", "accounts:activation_start"]:
        assert tab_attributes(client.get(reverse(name))) == (value, False)
    # A form sent back with errors is a later page too.
    assert tab_attributes(activate(client, password2="Autre#Chose33")) == (value, False)
    # A new sign-in, a new value, handed once again.
    client.post(reverse("accounts:activation_cancel"))
    sign_in(client, issued.identifier, issued.password)
    again, claim = tab_attributes(client.get(reverse("accounts:activate")))
    assert claim and again != value
    assert tab_attributes(client.get(reverse("accounts:activation_start"))) == (again, False)


def test_another_tab_ends_the_activation_and_the_sign_in_says_why(client, issued):
    """What the script of another tab posts: the activation ends, the account is untouched,
    and the sign-in page says why, once."""
    sign_in(client, issued.identifier, issued.password)
    client.get(reverse("accounts:activation_start"))
    response = client.post(reverse("accounts:activation_cancel"), {"raison": OTHER_TAB})
    assert response["Location"] == reverse("account_login")
    page = page_of(client.get(reverse("account_login")))
    assert "ne se poursuit que dans l'onglet où elle a commencé" in page
    assert "Théo" not in page and 'value="t.counen1"' not in page
    assert "dans l'onglet où" not in page_of(client.get(reverse("account_login")))
    assert client.get(reverse("accounts:activate"))["Location"] == reverse("account_login")
    user = User.objects.get(pk=issued.user.pk)
    assert user.is_provisional and user.check_password(issued.password)
    # « Ce n'est pas moi » itself says nothing more than before.
    sign_in(client, issued.identifier, issued.password)
    client.post(reverse("accounts:activation_cancel"))
    assert "dans l'onglet où" not in page_of(client.get(reverse("account_login")))


def test_the_tab_script_is_in_the_head_and_posts_with_the_csrf_token(client, issued):
    """In the head, neither deferred nor async: it hides the page before the body shows."""
    sign_in(client, issued.identifier, issued.password)
    for name in ["accounts:activation_start", "accounts:activate"]:
        html = client.get(reverse(name)).content.decode()
        head = html.split("</head>", 1)[0]
        script = re.search(r"<script [^>]*activation-tab[^>]*>", head).group(0)
        assert " defer" not in script and " async" not in script
        assert f'data-cancel-url="{reverse("accounts:activation_cancel")}"' in script
        assert re.search(r'data-csrf="[\w-]{32,}"', script)
        assert f'data-reason="{OTHER_TAB}"' in script
