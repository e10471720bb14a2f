"""CAS 3.0: tickets random, single use, bound to their service, valid seconds, stored hashed;
services from the registry only; the charter before any ticket; single sign-out."""

import threading
import xml.etree.ElementTree as ET
from datetime import timedelta
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from idp.actions import SERVICE_GRANTED, ticket_hash
from idp.models import CasTicket, ServiceSession
from tests.connected_services import CAS_SERVICE, query_of, run_single_sign_out
from tests.helpers import GUARD_SECONDS

NS = {"cas": "http://www.yale.edu/tp/cas"}
SERVICE_URL = CAS_SERVICE + "login?next=%2Fmes-prets%2F"


def _login(client, service_url=SERVICE_URL, **extra):
    return client.get("/cas/login?" + urlencode({"service": service_url, **extra}))


def _ticket(client, service_url=SERVICE_URL):
    response = _login(client, service_url)
    assert response.status_code == 302, response.content[:300]
    assert response["Location"].startswith(service_url)
    return query_of(response["Location"])["ticket"]


def _validate(client, ticket, service_url=SERVICE_URL, path="/cas/p3/serviceValidate"):
    response = client.get(path + "?" + urlencode({"service": service_url, "ticket": ticket}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def test_a_ticket_validates_once_with_the_registered_attributes(accepted, pupil, cas_service):
    """p3/serviceValidate: the identifier and the attributes of the registry, once."""
    ticket = _ticket(accepted)
    assert ticket.startswith("ST-") and len(ticket) >= 3 + 27  # ≥ 160 bits, base64url
    root = _validate(accepted, ticket)
    success = root.find("cas:authenticationSuccess", NS)
    assert success.find("cas:user", NS).text == pupil.username
    attributes = {el.tag.split("}")[1]: el.text for el in success.find("cas:attributes", NS)}
    assert attributes["given_name"] == "Théo"
    assert attributes["profile"] == "élève"
    assert attributes["etablissement_nom"] == "Collège Alfred Bruzet"
    assert attributes["classe"] == "4e B"
    assert "birthdate" not in attributes and "email" not in attributes
    replay = _validate(accepted, ticket).find("cas:authenticationFailure", NS)
    assert replay.get("code") == "INVALID_TICKET"
    assert AuditEvent.objects.filter(details__kind=SERVICE_GRANTED, subject=pupil).count() == 1


def test_cas2_service_validate_gives_the_identifier_only(accepted, pupil, cas_service):
    root = _validate(accepted, _ticket(accepted), path="/cas/serviceValidate")
    success = root.find("cas:authenticationSuccess", NS)
    assert success.find("cas:user", NS).text == pupil.username
    assert success.find("cas:attributes", NS) is None


def test_only_the_hash_of_a_ticket_is_stored(accepted, cas_service):
    ticket = _ticket(accepted)
    row = CasTicket.objects.get()
    assert row.ticket_hash == ticket_hash(ticket)
    assert ticket not in str(list(CasTicket.objects.values()))


def test_a_ticket_for_another_service_is_refused_and_burnt(accepted, cas_service):
    """Presented by another service URL: INVALID_SERVICE, and then it is gone for all."""
    ticket = _ticket(accepted)
    failure = _validate(accepted, ticket, CAS_SERVICE + "autre").find(
        "cas:authenticationFailure", NS
    )
    assert failure.get("code") == "INVALID_SERVICE"
    failure = _validate(accepted, ticket).find("cas:authenticationFailure", NS)
    assert failure.get("code") == "INVALID_TICKET"


def test_an_expired_ticket_is_refused(accepted, cas_service):
    ticket = _ticket(accepted)
    CasTicket.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    failure = _validate(accepted, ticket).find("cas:authenticationFailure", NS)
    assert failure.get("code") == "INVALID_TICKET"


@pytest.mark.parametrize("ticket", ["", "ST-inconnu", "PT-abc", "ST-" + "a" * 300])
def test_unknown_or_malformed_tickets_are_refused(client, cas_service, ticket):
    root = _validate(client, ticket)
    assert root.find("cas:authenticationFailure", NS) is not None


@pytest.mark.parametrize("path", ["/cas/serviceValidate", "/cas/p3/serviceValidate"])
def test_a_nul_byte_at_validation_is_answered_in_cas_xml(client, cas_service, path):
    """A CAS client reads XML: a NUL byte gets the INVALID_REQUEST failure, with a 400."""
    missing = ET.fromstring(client.get(path).content)  # noqa: S314 (our own answer)
    response = client.get(path, {"service": SERVICE_URL, "ticket": "ST-\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/xml")
    failure = ET.fromstring(response.content).find("cas:authenticationFailure", NS)  # noqa: S314
    assert failure.get("code") == "INVALID_REQUEST"
    assert missing.find("cas:authenticationFailure", NS).get("code") == "INVALID_REQUEST"
    assert not CasTicket.objects.exists()


def test_a_nul_byte_at_the_cas_sign_in_page_is_the_french_page(client, cas_service):
    """/cas/login is a page a pupil's browser shows: the French 400 page, not XML."""
    response = client.get("/cas/login", {"service": SERVICE_URL + "\x00"})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


@pytest.mark.parametrize(
    "service_url",
    [
        "https://evil.test/",
        "https://mediatheque.example.test.evil.test/cas/",
        "https://evil.test/?https://mediatheque.example.test/cas/",
        "https://mediatheque.example.test@evil.test/cas/",
        "http://mediatheque.example.test/cas/",
        "https://mediatheque.example.test:8443/cas/",
        "https://mediatheque.example.test/autre/",
        "javascript:alert(1)//https://mediatheque.example.test/cas/",
    ],
)
def test_unregistered_service_urls_get_no_ticket_and_no_redirect(
    accepted, cas_service, service_url
):
    """No open redirect through service=: a page here, never a redirect there."""
    response = _login(accepted, service_url)
    assert response.status_code == 400
    assert "Service inconnu" in response.content.decode()
    assert not CasTicket.objects.exists()


def test_signed_out_visitors_go_to_the_sign_in_and_come_back(client, cas_service):
    response = _login(client)
    assert response["Location"].startswith(reverse("account_login"))
    assert query_of(response["Location"])["next"].startswith("/cas/login?service=")


def test_gateway_returns_to_the_service_without_a_ticket(client, cas_service):
    response = _login(client, gateway="true")
    assert response["Location"] == SERVICE_URL


def test_no_ticket_before_the_charter(client_pupil, charter, cas_service):
    """The charter first, naming the service; « Je refuse » says why."""
    response = _login(client_pupil)
    assert response["Location"].startswith(reverse("idp:charter"))
    page = client_pupil.get(response["Location"]).content.decode()
    assert "Médiathèque" in page
    assert not CasTicket.objects.exists()
    door = query_of(response["Location"])["next"]
    refused = client_pupil.post(reverse("idp:refuse"), {"next": door})
    assert refused.status_code == 403
    assert "Médiathèque n'a rien reçu" in refused.content.decode()
    assert not CasTicket.objects.exists()
    client_pupil.post(reverse("charter:accept"), {"accept": "on", "next": door})
    response = client_pupil.get(door)
    assert response.status_code == 200  # after the charter's form: a page that continues
    assert query_of(response.context["url"])["ticket"].startswith("ST-")


def test_signing_out_of_the_portal_signs_out_of_the_services(accepted, pupil, cas_service):
    """Single sign-out: the CAS service receives a LogoutRequest naming its ticket."""
    ticket = _ticket(accepted)
    _validate(accepted, ticket)
    assert ServiceSession.objects.count() == 1
    with (
        mock.patch("idp.logout._post") as post,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()),
    ):
        accepted.post(reverse("account_logout"))
        run_single_sign_out()  # the background worker's job
    (url, data), _ = post.call_args
    assert url == SERVICE_URL
    assert f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex>" in data["logoutRequest"]
    assert not ServiceSession.objects.exists()


def test_cas_logout_asks_before_signing_out(accepted, cas_service):
    """A link cannot end a session: GET shows a button, POST signs out."""
    page = accepted.get("/cas/logout?" + urlencode({"service": SERVICE_URL}))
    assert "Se déconnecter" in page.content.decode()
    assert "_auth_user_id" in accepted.session
    done = accepted.post("/cas/logout", {"service": SERVICE_URL})
    assert "Session fermée" in done.content.decode()
    assert done.context["url"] == SERVICE_URL
    assert "_auth_user_id" not in accepted.session
    done = accepted.post("/cas/logout", {"service": "https://evil.test/"})
    assert done.context["url"] is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; .ci/run uses PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_validations_of_one_ticket_let_exactly_one_through(
    pupil, charter, cas_service
):
    """The DELETE decides: of ten services racing with one ticket, one gets the user."""
    from charter.actions import do_accept_charter

    do_accept_charter(pupil, charter)
    browser = Client()
    browser.force_login(pupil)
    ticket = _ticket(browser)
    start, results = threading.Barrier(10, timeout=GUARD_SECONDS), []

    def validate():
        start.wait()
        root = _validate(Client(), ticket)
        results.append(root.find("cas:authenticationSuccess", NS) is not None)
        connection.close()

    threads = [threading.Thread(target=validate) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD_SECONDS)
    assert sorted(results) == [False] * 9 + [True]
