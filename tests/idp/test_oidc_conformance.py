"""OpenID Connect, checked the way a conformance suite would: the discovery document, the ID
token verified with PyJWT against the published JWKS, `nonce`, `at_hash`, userinfo, refresh."""

import base64
import hashlib

import jwt

from tests.connected_services import TOKEN_PATH, authorize_url, exchange_code, pkce_pair, query_of


def _code(client, service, **extra):
    verifier, challenge = pkce_pair()
    response = client.get(authorize_url(service, challenge=challenge, **extra))
    assert response.status_code == 302, response.content[:500]
    params = query_of(response["Location"])
    assert params["state"] == extra.get("state", "etat-123")
    return params["code"], verifier


def _at_hash(access_token):
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def test_the_discovery_document_has_what_a_client_needs(client, db):
    """Issuer, endpoints, RS256, S256 for PKCE, the ENT's scopes and claims."""
    document = client.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://testserver"
    for endpoint in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
    ]:
        assert document[endpoint].startswith("http://testserver/")
    assert "code" in document["response_types_supported"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["subject_types_supported"] == ["pairwise"]
    assert {"openid", "profile", "etablissement", "email", "birthdate"} <= set(
        document["scopes_supported"]
    )
    assert {"preferred_username", "etablissement_uai", "classe", "profile"} <= set(
        document["claims_supported"]
    )
    assert document["backchannel_logout_supported"] is True


def test_the_id_token_verifies_with_pyjwt_against_the_jwks(accepted, pupil, oidc_service):
    """Signature by the published key, audience, issuer, nonce, at_hash; the ENT's claims."""
    code, verifier = _code(accepted, oidc_service)
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    jwks = accepted.get("/.well-known/jwks.json").json()
    kid = jwt.get_unverified_header(tokens["id_token"])["kid"]
    key = next(jwt.PyJWK(k) for k in jwks["keys"] if k["kid"] == kid)
    claims = jwt.decode(
        tokens["id_token"],
        key=key,
        algorithms=["RS256"],
        audience=oidc_service.oidc_client_id,
        issuer="http://testserver",
    )
    assert claims["nonce"] == "nonce-456"
    assert claims["at_hash"] == _at_hash(tokens["access_token"])
    assert claims["preferred_username"] == pupil.username
    assert claims["given_name"] == "Théo"
    assert claims["family_name"] == "Counen"
    assert claims["profile"] == "élève"
    assert claims["etablissement_nom"] == "Collège Alfred Bruzet"
    assert claims["etablissement_uai"] == pupil.enrolments.get().establishment.uai
    assert claims["classe"] == "4e B"
    assert "email" not in claims  # no verified address
    assert "birthdate" not in claims  # not registered, not asked for
    assert str(pupil.pk) != claims["sub"]


def test_userinfo_and_refresh(accepted, pupil, oidc_service):
    """The access token opens userinfo; the refresh token gives a new access token."""
    code, verifier = _code(accepted, oidc_service)
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    info = accepted.get(
        "/identity/o/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert info["preferred_username"] == pupil.username
    refreshed = accepted.post(
        TOKEN_PATH,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": oidc_service.oidc_client_id,
            "client_secret": oidc_service.secret,
        },
    )
    assert refreshed.status_code == 200, refreshed.content
    assert refreshed.json()["access_token"] != tokens["access_token"]


def test_sub_is_stable_for_a_client_and_differs_between_clients(pupil, oidc_service):
    """Two sign-ins to one service: the same `sub`; another service sees another."""
    from allauth.idp.oidc.models import Client

    from idp.adapter import PortalOIDCAdapter

    adapter = PortalOIDCAdapter()
    first = adapter.get_user_sub(oidc_service.oidc_client, pupil)
    assert adapter.get_user_sub(Client.objects.get(pk=oidc_service.oidc_client_id), pupil) == first
    assert adapter.get_user_sub(Client.objects.create(name="Autre"), pupil) != first
    assert adapter.get_user_by_sub(oidc_service.oidc_client, first) == pupil


def test_a_code_is_single_use_and_bound_to_its_verifier(accepted, oidc_service):
    """The same code twice, or with another verifier: refused."""
    code, verifier = _code(accepted, oidc_service)
    assert exchange_code(accepted, oidc_service, code, "x" * 50).status_code == 400
    code, verifier = _code(accepted, oidc_service)
    assert exchange_code(accepted, oidc_service, code, verifier).status_code == 200
    assert exchange_code(accepted, oidc_service, code, verifier).status_code == 400


def test_a_scope_the_service_is_not_registered_for_gets_no_code(accepted, oidc_service):
    """Not registered for birthdate: asking for it is an error, not a code."""
    _verifier, challenge = pkce_pair()
    response = accepted.get(
        authorize_url(oidc_service, challenge=challenge, scope="openid profile birthdate")
    )
    assert query_of(response["Location"])["error"] == "invalid_scope"
    assert "code" not in query_of(response["Location"])


def test_verified_email_and_birthdate_when_registered_and_asked(accepted, pupil, oidc_service):
    """A verified address and the birth date reach a service registered for them."""
    from allauth.account.models import EmailAddress

    from idp.actions import do_save_service

    EmailAddress.objects.create(user=pupil, email="theo@example.test", verified=True, primary=True)
    oidc_service.attributes = ["profile", "email", "birthdate"]
    do_save_service(oidc_service)
    code, verifier = _code(accepted, oidc_service, scope="openid email birthdate")
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["email"] == "theo@example.test"
    assert claims["email_verified"] is True
    assert claims["birthdate"] == "2012-03-14"
    assert "preferred_username" not in claims  # profile not asked for


def test_an_unverified_email_is_never_sent(accepted, pupil, oidc_service):
    """An address whose link was not opened stays with the portal."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=pupil, email="theo@example.test", verified=False, primary=True)
    code, verifier = _code(accepted, oidc_service, scope="openid email")
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    assert "email" not in jwt.decode(tokens["id_token"], options={"verify_signature": False})


def test_a_departed_pupils_tokens_stop_working(accepted, pupil, oidc_service):
    """« Enregistrer le départ »: userinfo and refresh refuse the tokens at once."""
    from accounts.actions import do_mark_departed

    code, verifier = _code(accepted, oidc_service)
    tokens = exchange_code(accepted, oidc_service, code, verifier).json()
    do_mark_departed(pupil)
    info = accepted.get(
        "/identity/o/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    assert info.status_code == 401
    refreshed = accepted.post(
        TOKEN_PATH,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": oidc_service.oidc_client_id,
            "client_secret": oidc_service.secret,
        },
    )
    assert refreshed.status_code in (400, 401)


def test_a_public_client_exchanges_its_code_with_the_verifier_alone(accepted, public_service):
    """No secret, PKCE instead: the right verifier gets tokens, a wrong one nothing."""
    redirect_uri = "https://appli.example.test/retour"
    for verifier_ok in (False, True):
        verifier, challenge = pkce_pair()
        response = accepted.get(
            authorize_url(
                public_service,
                redirect_uri=redirect_uri,
                scope="openid profile",
                challenge=challenge,
            )
        )
        code = query_of(response["Location"])["code"]
        tokens = accepted.post(
            TOKEN_PATH,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": public_service.oidc_client_id,
                "code_verifier": verifier if verifier_ok else "mauvais" * 8,
            },
        )
        assert tokens.status_code == (200 if verifier_ok else 400), tokens.content
    assert jwt.decode(tokens.json()["id_token"], options={"verify_signature": False})["aud"] == (
        public_service.oidc_client_id
    )
