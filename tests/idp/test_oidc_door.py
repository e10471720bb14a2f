"""The OpenID Connect door: activation first, the charter in force before any code, the
establishment's offer, exact redirect URIs, PKCE for public clients; every grant and refusal in
the audit trail."""

import pytest
from allauth.idp.oidc.models import Token
from django.urls import reverse

from audit.models import AuditEvent
from idp.actions import (
    CHARTER_NOT_ACCEPTED,
    CHARTER_REFUSED,
    NOT_OFFERED,
    SERVICE_GRANTED,
    SERVICE_REFUSED,
)
from tests.connected_services import REDIRECT_URI, authorize_url, pkce_pair, query_of
from tests.factories import EstablishmentFactory, UserFactory
from tests.helpers import activate


def _idp_events(kind):
    return AuditEvent.objects.filter(details__kind=kind)


def test_a_provisional_pupil_activates_then_accepts_the_charter_then_gets_a_code(
    client, issued, charter, oidc_service
):
    """Sign-in → « Créer mon compte » → activation → charter naming the service → the code."""
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    response = client.get(door)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert query_of(response["Location"])["next"] == door

    response = client.post(
        reverse("account_login"),
        {"login": issued.identifier, "password": issued.password, "next": door},
    )
    assert response["Location"] == reverse("accounts:activation_start")
    response = activate(client)
    assert query_of(response["Location"])["next"] == door
    page = client.get(response["Location"])
    assert door.replace("&", "&amp;") in page.content.decode()  # « Continuer » goes to the door

    response = client.get(door)
    assert response["Location"].startswith(reverse("idp:charter"))
    page = client.get(response["Location"])
    assert "Cahier de textes" in page.content.decode()
    assert "vous connecte avec votre compte de l'ENT" in page.content.decode()
    assert not Token.objects.exists()  # no code before the charter
    assert not _idp_events(SERVICE_GRANTED).exists()

    response = client.post(reverse("charter:accept"), {"accept": "on", "next": door})
    assert response["Location"] == door
    response = client.get(door)
    # After the forms, a page that continues to the service (CSP form-action 'self').
    assert response.status_code == 200
    url = response.context["url"]
    assert url.startswith(REDIRECT_URI)
    assert query_of(url)["state"] == "etat-123"
    assert query_of(url)["code"]
    assert _idp_events(SERVICE_GRANTED).get().details["service"] == "Cahier de textes"


def test_an_activated_pupil_who_refuses_the_charter_sends_access_denied(
    client_pupil, pupil, charter, oidc_service
):
    """« Je refuse »: no code; the page says why and leads back with error=access_denied."""
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    response = client_pupil.post(reverse("idp:refuse"), {"next": door})
    assert response.status_code == 403
    assert "Vous avez refusé la charte" in response.content.decode()
    back = query_of(response.context["back"])
    assert response.context["back"].startswith(REDIRECT_URI)
    assert back["error"] == "access_denied"
    assert back["state"] == "etat-123"
    assert "code" not in back
    assert not Token.objects.exists()
    event = _idp_events(SERVICE_REFUSED).get()
    assert event.details["reason"] == CHARTER_REFUSED
    assert event.subject == pupil


def test_the_charter_page_offers_je_refuse_to_the_services_refusal(
    client_pupil, charter, oidc_service
):
    """The form's « Je refuse » goes to the service's refusal, not to the ENT's sign-out."""
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    page = client_pupil.get(reverse("idp:charter"), {"next": door}).content.decode()
    assert f'formaction="{reverse("idp:refuse")}"' in page
    assert "Je refuse" in page
    assert "Mon ENT" in page and "Simulation de formation." in page


def test_prompt_none_without_the_charter_is_consent_required(client_pupil, charter, oidc_service):
    """A silent sign-in cannot show the charter: the service is told, no code."""
    _verifier, challenge = pkce_pair()
    response = client_pupil.get(authorize_url(oidc_service, challenge=challenge, prompt="none"))
    assert query_of(response["Location"])["error"] == "consent_required"
    assert not Token.objects.exists()


def test_a_new_charter_stops_silent_sign_ins_until_accepted(accepted, pupil, oidc_service):
    """Signed in to the service before; a new charter is published: prompt=none gets
    consent_required (audited), no code, until the new version is accepted."""
    from django.utils import timezone

    from charter.models import Charter
    from tests.connected_services import tokens_of

    tokens_of(accepted, oidc_service)  # an access token: silent sign-ins are allowed from now on
    _verifier, challenge = pkce_pair()
    codes = Token.objects.count()
    Charter.objects.create(version=2, title="Charte", body="Nouvelle.", published_at=timezone.now())
    response = accepted.get(authorize_url(oidc_service, challenge=challenge, prompt="none"))
    assert query_of(response["Location"])["error"] == "consent_required"
    assert Token.objects.count() == codes
    assert _idp_events(SERVICE_REFUSED).get().details["reason"] == CHARTER_NOT_ACCEPTED


def test_a_posted_consent_is_forbidden_and_a_posted_request_goes_through_the_door(
    client_pupil, charter, oidc_service
):
    """No consent form exists here: a posted one is refused; an authorization request sent by
    POST is the same request at the same door (the charter first)."""
    response = client_pupil.post("/identity/o/authorize", {"request": "x", "action": "grant"})
    assert response.status_code == 403
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    response = client_pupil.post("/identity/o/authorize", query_of(door))
    response = client_pupil.get(response["Location"])
    assert response["Location"].startswith(reverse("idp:charter"))
    assert not Token.objects.exists()


def test_a_service_not_offered_by_the_pupils_establishment_is_refused(
    accepted, pupil, oidc_service
):
    """Offered only to another establishment: access_denied, audited."""
    oidc_service.establishments.set([EstablishmentFactory()])
    _verifier, challenge = pkce_pair()
    response = accepted.get(authorize_url(oidc_service, challenge=challenge))
    assert query_of(response["Location"])["error"] == "access_denied"
    assert _idp_events(SERVICE_REFUSED).get().details["reason"] == NOT_OFFERED


@pytest.mark.parametrize(
    "redirect_uri",
    [
        REDIRECT_URI + "x",
        REDIRECT_URI.rstrip("/"),
        REDIRECT_URI.replace("https", "http"),
        "https://cdt.example.test.evil.test/oidc/callback/",
        "https://evil.test/?" + REDIRECT_URI,
        REDIRECT_URI + "?next=https://evil.test/",
    ],
)
def test_the_redirect_uri_must_match_exactly(accepted, oidc_service, redirect_uri):
    """Anything but the registered URI: an error page here, never a redirect there."""
    _verifier, challenge = pkce_pair()
    response = accepted.get(
        authorize_url(oidc_service, challenge=challenge, redirect_uri=redirect_uri)
    )
    assert response.status_code != 302
    assert not Token.objects.exists()


def test_a_public_client_must_use_pkce(accepted, public_service):
    """No code_challenge from a public client: an error to the client, no code."""
    url = authorize_url(
        public_service, redirect_uri="https://appli.example.test/retour", scope="openid profile"
    )
    response = accepted.get(url)
    assert "code" not in query_of(response["Location"])
    assert query_of(response["Location"])["error"] == "invalid_request"
    _verifier, challenge = pkce_pair()
    response = accepted.get(
        authorize_url(
            public_service,
            redirect_uri="https://appli.example.test/retour",
            scope="openid profile",
            challenge=challenge,
        )
    )
    assert query_of(response["Location"])["code"]


def test_an_unknown_client_gets_an_error_page(accepted, db):
    response = accepted.get(
        "/identity/o/authorize?client_id=inconnu&response_type=code&redirect_uri="
        "https%3A%2F%2Fevil.test%2F&scope=openid"
    )
    assert response.status_code != 302


def test_the_charter_page_ignores_a_next_that_is_not_a_door(client_pupil, charter):
    """Only a service's door: anything else is the ENT's own charter page."""
    for target in ["https://evil.test/", "/ent/", "//evil.test/identity/o/authorize"]:
        response = client_pupil.get(reverse("idp:charter"), {"next": target})
        assert response["Location"] == reverse("charter:accept")


def test_a_staff_member_without_enrolment_is_refused_a_restricted_service(client, oidc_service):
    """Restricted to an establishment: someone enrolled nowhere does not get in."""
    from charter.actions import do_accept_charter
    from charter.models import Charter

    user = UserFactory(role="personnel")
    charter = Charter.objects.current()
    do_accept_charter(user, charter)
    client.force_login(user)
    _verifier, challenge = pkce_pair()
    response = client.get(authorize_url(oidc_service, challenge=challenge))
    assert query_of(response["Location"])["error"] == "access_denied"


def test_credentials_reissued_during_a_session_send_back_to_the_activation(
    accepted, pupil, oidc_service, cas_service
):
    """A signed-in pupil whose letter was re-issued gets no code nor ticket: sign-in again,
    then the activation stage."""
    from accounts.actions import do_issue_credentials

    do_issue_credentials(pupil)
    _verifier, challenge = pkce_pair()
    response = accepted.get(authorize_url(oidc_service, challenge=challenge))
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in accepted.session
    assert not Token.objects.exists()


def test_the_sign_in_page_names_the_service_that_sent_the_pupil(client, oidc_service, cas_service):
    """« Cahier de textes vous demande de vous connecter… »; nothing for other `next`."""
    _verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge)
    page = client.get(reverse("account_login"), {"next": door}).content.decode()
    assert "<strong>Cahier de textes</strong> vous demande de vous connecter" in page
    page = client.get(
        reverse("account_login"),
        {"next": "/cas/login?service=https://mediatheque.example.test/cas/"},
    ).content.decode()
    assert "<strong>Médiathèque</strong> vous demande" in page
    page = client.get(reverse("account_login"), {"next": "/ent/"}).content.decode()
    assert "vous demande de vous connecter" not in page
