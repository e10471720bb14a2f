"""Signing out: of the portal (each service told: OIDC back-channel logout, CAS single
sign-out) and from a service (RP-initiated logout)."""

from unittest import mock

import jwt
from allauth.idp.oidc.models import Token
from django.urls import reverse

from idp.logout import BACKCHANNEL_EVENT
from idp.models import ServiceSession
from tests.connected_services import run_single_sign_out, tokens_of


def _sign_out(client):
    with (
        mock.patch("idp.logout._post") as post,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()),
    ):
        client.post(reverse("account_logout"))
        run_single_sign_out()  # the background worker's job
    return post


def test_the_portals_sign_out_sends_a_signed_logout_token(accepted, pupil, oidc_service):
    """Back-channel logout: a logout_token for the service's `sub`, verifiable with the JWKS;
    the service's tokens are revoked."""
    id_token = tokens_of(accepted, oidc_service)["id_token"]
    sub = jwt.decode(id_token, options={"verify_signature": False})["sub"]
    jwks = accepted.get("/.well-known/jwks.json").json()
    assert ServiceSession.objects.filter(user=pupil).count() == 1
    post = _sign_out(accepted)
    (url, data), _ = post.call_args
    assert url == oidc_service.backchannel_logout_uri
    token = data["logout_token"]
    key = jwt.PyJWK(jwks["keys"][0])
    claims = jwt.decode(
        token,
        key=key,
        algorithms=["RS256"],
        audience=oidc_service.oidc_client_id,
        issuer="http://testserver",
    )
    assert claims["sub"] == sub
    assert BACKCHANNEL_EVENT in claims["events"]
    assert "nonce" not in claims
    assert not Token.objects.filter(user=pupil).exists()
    assert not ServiceSession.objects.exists()


def test_a_sign_out_with_no_service_tells_no_one(accepted):
    post = _sign_out(accepted)
    post.assert_not_called()


def test_rp_initiated_logout_asks_then_goes_back_to_the_service(accepted, oidc_service):
    """The service asks; the person confirms; a page continues to the registered address."""
    id_token = tokens_of(accepted, oidc_service)["id_token"]
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": "https://cdt.example.test/au-revoir/",
        "state": "s1",
    }
    page = accepted.get("/identity/o/logout", params)
    assert page.status_code == 200
    with mock.patch("idp.logout._post"):
        response = accepted.post(
            "/identity/o/logout",
            {**params, "action": "logout", "csrfmiddlewaretoken": "x"},
        )
    assert response.status_code == 200
    assert response.context["url"] == "https://cdt.example.test/au-revoir/?state=s1"
    assert "Votre session de l'ENT est fermée." in response.content.decode()
    assert "_auth_user_id" not in accepted.session


def test_rp_initiated_logout_refuses_an_unregistered_address(accepted, oidc_service):
    response = accepted.get(
        "/identity/o/logout", {"post_logout_redirect_uri": "https://evil.test/"}
    )
    assert response.status_code != 302


def test_a_departure_signs_the_pupil_out_of_the_services(accepted, pupil, oidc_service):
    """« Enregistrer le départ »: each service is told at once, its tokens revoked."""
    from accounts.actions import do_mark_departed

    tokens_of(accepted, oidc_service)
    with (
        mock.patch("idp.logout._post") as post,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda f: f()),
    ):
        do_mark_departed(pupil)
        run_single_sign_out()
    (url, _data), _ = post.call_args
    assert url == oidc_service.backchannel_logout_uri
    assert not Token.objects.filter(user=pupil).exists()
    assert not ServiceSession.objects.exists()
