"""What real client libraries need from the provider: RFC-encoded client credentials, prompt=login
and max_age with `auth_time`, CAS renew, exact post-logout addresses, a discovery document that
advertises only what is served, normalised CAS service paths, no 500 on odd parameters, the
identifier in a scope of its own, userinfo never cached."""

import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote_plus, urlencode

import jwt
import pytest
from allauth.idp.oidc.models import Token
from django.test import Client
from django.urls import reverse

from idp.actions import do_save_service, do_set_client_secret
from idp.models import CasTicket, ConnectedService
from tests.connected_services import (
    CAS_SERVICE,
    REDIRECT_URI,
    TOKEN_PATH,
    authorize_url,
    basic_auth,
    exchange_code,
    pkce_pair,
    query_of,
)
from tests.helpers import GOOD_PASSWORD

NS = {"cas": "http://www.yale.edu/tp/cas"}
CAS_URL = CAS_SERVICE + "login"


def _claims(tokens):
    return jwt.decode(tokens["id_token"], options={"verify_signature": False})


def _code_at(client, url):
    response = client.get(url)
    location = response.context["url"] if response.status_code == 200 else response["Location"]
    return query_of(location)["code"]


def _signed_in_at(client, when):
    from idp.doors import SIGNED_IN_AT

    session = client.session
    session[SIGNED_IN_AT] = when
    session.save()


# ----------------------------------------------------------------------------- credentials


def test_client_secret_basic_credentials_are_form_url_decoded(accepted, oidc_service):
    """RFC 6749 §2.3.1 (pyoidc, Authlib): id and secret form-url-encoded in HTTP Basic."""
    oidc_service.secret = "a%b$c#d&e+f g:h"
    do_set_client_secret(oidc_service, oidc_service.secret)
    rfc_way = basic_auth(quote_plus(oidc_service.oidc_client_id), quote_plus(oidc_service.secret))
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge))
    response = exchange_code(accepted, oidc_service, code, verifier, authorization=rfc_way)
    assert response.status_code == 200, response.content
    # A client that sends its secret as is (allauth's, requests' HTTPBasicAuth) still gets in.
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge))
    assert exchange_code(accepted, oidc_service, code, verifier).status_code == 200
    # A wrong secret, encoded or not, is still refused.
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge))
    wrong = basic_auth(quote_plus(oidc_service.oidc_client_id), quote_plus("a%b$c#d&e+f g:x"))
    refused = exchange_code(accepted, oidc_service, code, verifier, authorization=wrong)
    assert refused.status_code == 401


def test_new_client_secrets_are_url_safe(db):
    """The same string raw and form-url-encoded: no client can get it wrong."""
    for _ in range(5):
        secret = do_save_service(
            ConnectedService(
                name="Service",
                protocol=ConnectedService.Protocol.OIDC,
                home_url="https://s.example.test/",
                redirect_uris="https://s.example.test/retour",
            )
        )
        assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", secret), secret
        assert quote_plus(secret) == secret


# ----------------------------------------------------------------------------- prompt, max_age


def test_prompt_login_asks_the_password_again_then_goes_back_through_a_page(accepted, oidc_service):
    """prompt=login: « Confirmer l'accès », then « Retour vers le service » (no redirect after
    a form: CSP form-action 'self'), and `auth_time` is the time of that password."""
    verifier, challenge = pkce_pair()
    door = authorize_url(oidc_service, challenge=challenge, prompt="login")
    response = accepted.get(door)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    back = query_of(response["Location"])["next"]
    assert "prompt" not in query_of(back)
    assert not Token.objects.filter(type=Token.Type.AUTHORIZATION_CODE).exists()

    before = int(time.time())
    response = accepted.post(
        reverse("account_reauthenticate"), {"password": GOOD_PASSWORD, "next": back}
    )
    assert response["Location"] == back
    page = accepted.get(back)
    assert page.status_code == 200  # the page, not a redirect the CSP would block
    assert "Retour vers Cahier de textes" in page.content.decode()
    assert page.context["url"].startswith(REDIRECT_URI)
    tokens = exchange_code(accepted, oidc_service, query_of(page.context["url"])["code"], verifier)
    assert _claims(tokens.json())["auth_time"] >= before


def test_max_age_asks_again_for_an_old_sign_in_and_auth_time_is_kept_on_refresh(
    accepted, oidc_service
):
    """max_age: a sign-in older than that is asked again; a recent one is not; `auth_time`
    is in every id_token, refreshed ones too."""
    _signed_in_at(accepted, time.time() - 3600)
    _verifier, challenge = pkce_pair()
    response = accepted.get(authorize_url(oidc_service, challenge=challenge, max_age="60"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "max_age" not in query_of(query_of(response["Location"])["next"])

    signed_in = time.time() - 30
    _signed_in_at(accepted, signed_in)
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge, max_age="600"))
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    assert _claims(tokens)["auth_time"] == int(signed_in)
    refreshed = accepted.post(
        TOKEN_PATH,
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        HTTP_AUTHORIZATION=basic_auth(oidc_service.oidc_client_id, oidc_service.secret),
    ).json()
    assert _claims(refreshed)["auth_time"] == int(signed_in)


def test_prompt_none_with_an_old_sign_in_is_login_required(accepted, oidc_service):
    """A silent sign-in cannot ask for the password: login_required, no code."""
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge))
    exchange_code(accepted, oidc_service, code, verifier)  # signed in before: silent is allowed
    _signed_in_at(accepted, time.time() - 3600)
    _verifier, challenge = pkce_pair()
    response = accepted.get(
        authorize_url(oidc_service, challenge=challenge, max_age="60", prompt="none")
    )
    assert query_of(response["Location"])["error"] == "login_required"


# ----------------------------------------------------------------------------- CAS renew


def _validate(client, ticket, *, renew):
    params = {"service": CAS_URL, "ticket": ticket}
    if renew:
        params["renew"] = "true"
    response = client.get("/cas/p3/serviceValidate?" + urlencode(params))
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def test_cas_renew_asks_the_password_again_and_only_such_a_ticket_validates_with_renew(
    accepted, pupil, cas_service
):
    """renew=true: never a ticket from the single sign-on session; validation with renew
    refuses such a ticket (CAS 3.0 §2.1.1, §2.5.1)."""
    door = "/cas/login?" + urlencode({"service": CAS_URL, "renew": "true", "gateway": "true"})
    response = accepted.get(door)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not CasTicket.objects.exists()
    back = query_of(response["Location"])["next"]
    accepted.post(reverse("account_reauthenticate"), {"password": GOOD_PASSWORD, "next": back})
    page = accepted.get(back)
    assert page.status_code == 200
    ticket = query_of(page.context["url"])["ticket"]
    success = _validate(accepted, ticket, renew=True).find("cas:authenticationSuccess", NS)
    assert success.find("cas:user", NS).text == pupil.username

    sso = query_of(accepted.get("/cas/login?" + urlencode({"service": CAS_URL}))["Location"])
    failure = _validate(accepted, sso["ticket"], renew=True).find("cas:authenticationFailure", NS)
    assert failure.get("code") == "INVALID_TICKET_SPEC"


def test_cas_renew_from_a_signed_out_browser_asks_the_password_once(client, pupil, charter):
    """Not signed in: the sign-in is the password asked for; the ticket passes renew."""
    from charter.actions import do_accept_charter

    do_accept_charter(pupil, charter)
    do_save_service(
        ConnectedService(
            name="Médiathèque",
            protocol=ConnectedService.Protocol.CAS,
            home_url="https://mediatheque.example.test/",
            cas_service_prefixes=CAS_SERVICE,
        )
    )
    door = "/cas/login?" + urlencode({"service": CAS_URL, "renew": "true"})
    response = client.get(door)
    assert response["Location"].startswith(reverse("account_login"))
    client.post(
        reverse("account_login"), {"login": pupil.username, "password": GOOD_PASSWORD, "next": door}
    )
    page = client.get(door)
    assert page.status_code == 200
    ticket = query_of(page.context["url"])["ticket"]
    assert _validate(client, ticket, renew=True).find("cas:authenticationSuccess", NS) is not None


# ----------------------------------------------------------------------------- sign-out


def test_post_logout_redirect_uri_must_be_registered_exactly(client, oidc_service):
    """Another address on the service's origin, or the registered one with a query: no
    redirect there."""
    for uri in ["https://cdt.example.test/autre/", "https://cdt.example.test/au-revoir/?x=1"]:
        response = client.get(
            "/identity/o/logout",
            {"client_id": oidc_service.oidc_client_id, "post_logout_redirect_uri": uri},
        )
        assert response.status_code != 302
        assert uri not in response.content.decode()
    response = client.get(
        "/identity/o/logout",
        {
            "client_id": oidc_service.oidc_client_id,
            "post_logout_redirect_uri": "https://cdt.example.test/au-revoir/",
        },
    )
    assert response["Location"] == "https://cdt.example.test/au-revoir/"


# ----------------------------------------------------------------------------- discovery


def test_discovery_advertises_only_what_is_served_and_the_device_flow_is_unmounted(client, db):
    """Authorization code and refresh only; no device endpoint, advertised or served."""
    document = client.get("/.well-known/openid-configuration").json()
    assert document["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert document["response_types_supported"] == ["code"]
    assert "device_authorization_endpoint" not in document
    assert "auth_time" in document["claims_supported"]
    assert client.get("/identity/o/device").status_code == 404
    assert client.get("/identity/o/device", {"code": "ABCD-EFGH"}).status_code == 404
    assert client.post("/identity/o/api/device/code", {"client_id": "x"}).status_code == 404


# ----------------------------------------------------------------------------- CAS paths


@pytest.mark.parametrize(
    "service_url",
    [
        "https://mediatheque.example.test/cas/../admin/",
        "https://mediatheque.example.test/cas/%2e%2e/evil",
        "https://mediatheque.example.test/cas/%2E%2E%2Fadmin/",
        "https://mediatheque.example.test/cas/./../admin/",
    ],
)
def test_cas_service_paths_with_dot_segments_get_no_ticket(accepted, cas_service, service_url):
    """The path is read as the service's server reads it: a dot segment is refused."""
    response = accepted.get("/cas/login?" + urlencode({"service": service_url}))
    assert response.status_code == 400
    assert "Service inconnu" in response.content.decode()
    assert not CasTicket.objects.exists()


# ----------------------------------------------------------------------------- odd parameters


@pytest.mark.parametrize("claims", ["x", "[1]", '{"id_token": 1}'])
def test_a_malformed_claims_parameter_is_dropped_not_a_500(accepted, oidc_service, claims):
    """The claims parameter is not supported: ignored, and the code is issued."""
    _verifier, challenge = pkce_pair()
    response = accepted.get(authorize_url(oidc_service, challenge=challenge, claims=claims))
    assert response.status_code == 302
    assert query_of(response["Location"])["code"]


def test_a_nul_byte_one_level_down_in_next_is_a_400(accepted, oidc_service):
    """`next` naming a door whose query has a NUL byte: a 400, never a lookup (a 500 on
    PostgreSQL)."""
    door = "/identity/o/authorize?client_id=%00"
    assert accepted.get(reverse("idp:charter"), {"next": door}).status_code == 400
    assert accepted.post(reverse("idp:refuse"), {"next": door}).status_code == 400
    accepted.logout()
    response = accepted.get(reverse("account_login"), {"next": door})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()


# ----------------------------------------------------------------------------- claims


def test_the_identifier_needs_its_own_scope(accepted, pupil, oidc_service, cas_service):
    """`preferred_username` is the same for every service: only with `identifiant`, never
    with `profile` (OIDC and CAS)."""
    oidc_service.attributes = ["profile", "etablissement"]
    do_save_service(oidc_service)
    verifier, challenge = pkce_pair()
    code = _code_at(
        accepted, authorize_url(oidc_service, challenge=challenge, scope="openid profile")
    )
    claims = _claims(exchange_code(accepted, oidc_service, code, verifier).json())
    assert claims["given_name"] == "Théo"
    assert "preferred_username" not in claims
    response = accepted.get(
        authorize_url(oidc_service, challenge=challenge, scope="openid identifiant")
    )
    assert query_of(response["Location"])["error"] == "invalid_scope"

    ticket = query_of(accepted.get("/cas/login?" + urlencode({"service": CAS_URL}))["Location"])
    success = _validate(accepted, ticket["ticket"], renew=False).find(
        "cas:authenticationSuccess", NS
    )
    attributes = {el.tag.split("}")[1] for el in success.find("cas:attributes", NS)}
    assert "given_name" in attributes
    assert "preferred_username" not in attributes


def test_userinfo_is_never_cached(accepted, oidc_service):
    """Cache-Control: no-store on userinfo (a person's claims)."""
    verifier, challenge = pkce_pair()
    code = _code_at(accepted, authorize_url(oidc_service, challenge=challenge))
    access = exchange_code(accepted, oidc_service, code, verifier).json()["access_token"]
    service = Client()  # a service's request: a bearer token, no portal session
    response = service.get("/identity/o/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
