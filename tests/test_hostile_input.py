"""Hostile input: fuzzed forms never give a 500 nor change anything when invalid; CSRF is
enforced on every form; simultaneous activations of one account let exactly one through."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from charter.models import Acceptance
from tests.helpers import GOOD_PASSWORD, GUARD_SECONDS, sign_in

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=300)
field = st.one_of(text, st.sampled_from(["", " ", "\x00", "é" * 200, "' OR 1=1 --", "<script>"]))


@FUZZ
@given(login=field, password=field, extra=st.dictionaries(st.text(max_size=10), text, max_size=3))
def test_fuzzed_sign_in_never_breaks_nor_signs_in(client, pupil, login, password, extra):
    response = client.post(
        reverse("account_login"), {**extra, "login": login, "password": password}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(
    password1=field,
    password2=field,
    birth_date=st.one_of(field, st.dates().map(lambda d: d.strftime("%d/%m/%Y"))),
    email=field,
)
def test_fuzzed_activation_never_breaks_nor_activates(
    client, issued, password1, password2, birth_date, email
):
    from accounts import lockout

    lockout.unlock(issued.identifier)  # the fuzzer is allowed more than 5 birth dates
    sign_in(client, issued.identifier, issued.password)
    response = client.post(
        reverse("accounts:activate"),
        {"password1": password1, "password2": password2, "birth_date": birth_date, "email": email},
    )
    assert response.status_code in (200, 302)
    user = User.objects.get(pk=issued.user.pk)
    assert user.is_provisional and user.check_password(issued.password)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["accept", "next", "x"]), field, max_size=3))
def test_fuzzed_charter_never_breaks_and_accepts_only_when_ticked(client_pupil, charter, data):
    Acceptance.objects.all().delete()
    response = client_pupil.post(reverse("charter:accept"), data)
    assert response.status_code in (200, 302)
    # A checkbox counts as ticked for any value but an empty one or « false » (Django's rule).
    ticked = data.get("accept", "") != "" and data.get("accept", "").lower() != "false"
    assert Acceptance.objects.exists() == ticked
    if response.status_code == 302:
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith("//")


FORMS = [
    ("account_login", {}),
    ("accounts:lost_identifier", {}),
    ("account_reset_password", {}),
    ("charter:accept", {"signed_in": True}),
    ("charter:refuse", {"signed_in": True}),
    ("portal:switch_portal", {"signed_in": True}),
    ("account_logout", {"signed_in": True}),
    ("account_change_password", {"signed_in": True}),
    ("account_email", {"signed_in": True}),
    ("pronote:home", {"signed_in": True}),
    ("admin:accounts_user_add", {"staff": True}),
]


@pytest.mark.parametrize(("url_name", "who"), FORMS)
def test_every_form_refuses_a_post_without_csrf_token(pupil, staff_user, charter, url_name, who):
    from charter.actions import do_accept_charter

    client = Client(enforce_csrf_checks=True)
    if who.get("signed_in"):
        do_accept_charter(pupil, charter)  # else the charter gate answers first (no change)
        client.force_login(pupil)
    if who.get("staff"):
        client.force_login(staff_user)
    response = client.post(reverse(url_name), {"login": pupil.username, "password": GOOD_PASSWORD})
    assert response.status_code == 403


def test_the_activation_form_refuses_a_post_without_csrf_token(issued):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    client.post(
        reverse("account_login"),
        {"login": issued.identifier, "password": issued.password, "csrfmiddlewaretoken": token},
    )
    response = client.post(reverse("accounts:activate"), {"password1": GOOD_PASSWORD})
    assert response.status_code == 403


@pytest.mark.parametrize("address", ["/?q=a%00", "/educonnect/login/?next=%00", "/aide%00/"])
def test_a_nul_byte_in_an_address_is_the_french_bad_request_page(client, db, address):
    """No database stores a NUL byte: the French 400 page, with the notice, before any view."""
    response = client.get(address)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Demande incorrecte" in page and "simulation" in page


def test_a_nul_byte_in_an_ordinary_form_is_left_to_the_form(client, pupil):
    """Django's forms refuse a NUL byte themselves: the sign-in page answers and says why."""
    response = client.post(reverse("account_login"), {"login": "a\x00", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; .ci/run uses PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_activations_let_exactly_one_through(school_class):
    from datetime import date

    from accounts.actions import do_create_account

    issued = do_create_account(
        first_name="Théo",
        last_name="Counen",
        birth_date=date(2012, 3, 14),
        establishment=school_class.establishment,
        school_class=school_class,
    )
    clients = []
    for _ in range(20):
        client = Client()
        sign_in(client, issued.identifier, issued.password)
        clients.append(client)
    start, results = threading.Barrier(20, timeout=GUARD_SECONDS), []

    def activate(client, index):
        password = f"Soleil#Vert{index:02d}"
        start.wait()
        response = client.post(
            reverse("accounts:activate"),
            {
                "password1": password,
                "password2": password,
                "birth_day": "14",
                "birth_month": "03",
                "birth_year": "2012",
            },
        )
        message = ""
        if response["Location"] == reverse("account_login"):
            message = client.get(response["Location"]).content.decode()
        results.append((response["Location"], password, message))
        connection.close()

    threads = [threading.Thread(target=activate, args=(c, i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    winners = [r for r in results if r[0] == reverse("accounts:activated")]
    losers = [r for r in results if r[0] == reverse("account_login")]
    assert len(winners) == 1 and len(losers) == 19
    assert all(
        "Ce compte est déjà activé" in message.replace("&#x27;", "'") for *_, message in losers
    )
    user = User.objects.get(pk=issued.user.pk)
    assert not user.is_provisional and user.check_password(winners[0][1])
