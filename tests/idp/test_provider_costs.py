"""The provider's round trip at the cost of about one sign-in: the signing key parsed once per
process (a rotated key honoured), client secrets kept as a keyed hash (older argon2 hashes still
verify and are upgraded at their first use), the person's claims read once per request. Counts,
never time."""

import jwt
import pytest
from allauth.core.internal import jwkkit
from allauth.idp.oidc.models import Client
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from idp import keys
from idp.client_secrets import ALGORITHM, ClientSecretHasher, hash_client_secret, is_keyed
from idp.keys import new_private_key_pem
from tests.connected_services import (
    authorize_url,
    basic_auth,
    exchange_code,
    pkce_pair,
    query_of,
    tokens_of,
)


@pytest.fixture
def parses(monkeypatch):
    """Each parse of a PEM signing key, counted where allauth does it."""
    seen = []
    load = jwkkit.load_pem
    monkeypatch.setattr(jwkkit, "load_pem", lambda pem: seen.append(pem) or load(pem))
    keys._parsed.cache_clear()
    yield seen
    keys._parsed.cache_clear()


def code_for(client, service):
    verifier, challenge = pkce_pair()
    location = client.get(authorize_url(service, challenge=challenge))["Location"]
    return query_of(location)["code"], verifier


def kid_of(pem):
    return jwkkit.load_jwk_from_pem(pem)[0]["kid"]


def test_the_signing_key_is_parsed_once_across_several_token_requests(
    accepted, oidc_service, parses
):
    for _ in range(3):
        tokens = tokens_of(accepted, oidc_service)
        assert accepted.get(
            "/identity/o/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
        ).json()["preferred_username"]
    assert accepted.get("/.well-known/jwks.json").status_code == 200
    assert len(parses) == 1


def test_a_rotated_key_signs_the_next_id_token(accepted, oidc_service, parses, settings):
    first = jwt.get_unverified_header(tokens_of(accepted, oidc_service)["id_token"])["kid"]
    settings.IDP_OIDC_PRIVATE_KEY = new = new_private_key_pem()
    id_token = tokens_of(accepted, oidc_service)["id_token"]
    assert jwt.get_unverified_header(id_token)["kid"] == kid_of(new) != first
    public = jwkkit.load_jwk_from_pem(new)[1].public_key()
    claims = jwt.decode(
        id_token, public, algorithms=["RS256"], audience=oidc_service.oidc_client_id
    )
    assert claims["preferred_username"]
    jwks = accepted.get("/.well-known/jwks.json").json()["keys"]
    assert [key["kid"] for key in jwks] == [kid_of(new)]
    assert len(parses) == 2  # each key once


def test_a_new_client_secret_is_kept_as_a_keyed_hash(oidc_service):
    stored = Client.objects.get(pk=oidc_service.oidc_client_id).secret
    assert stored.startswith(ALGORITHM + "$") and oidc_service.secret not in stored
    assert Client.objects.get(pk=oidc_service.oidc_client_id).check_secret(oidc_service.secret)
    assert not Client.objects.get(pk=oidc_service.oidc_client_id).check_secret("autre-secret")


def test_the_keyed_hash_depends_on_the_server_secret_and_keeps_its_fallbacks(settings):
    stored = hash_client_secret("un-secret")
    hasher = ClientSecretHasher()
    assert hasher.verify("un-secret", stored)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "une-autre-clé" * 5, []
    assert not hasher.verify("un-secret", stored)
    settings.SECRET_KEY_FALLBACKS = ["test-only-secret-key"]
    assert hasher.verify("un-secret", stored)


def test_the_token_endpoint_takes_the_new_hash(accepted, oidc_service):
    assert "id_token" in tokens_of(accepted, oidc_service)


@pytest.mark.argon2
def test_an_argon2_client_secret_still_works_and_is_upgraded_at_its_first_use(
    accepted, oidc_service
):
    Client.objects.filter(pk=oidc_service.oidc_client_id).update(
        secret=make_password(oidc_service.secret)  # as allauth stored it before
    )
    assert Client.objects.get(pk=oidc_service.oidc_client_id).secret.startswith("argon2")
    assert "id_token" in tokens_of(accepted, oidc_service)
    stored = Client.objects.get(pk=oidc_service.oidc_client_id).secret
    assert is_keyed(stored)
    assert "id_token" in tokens_of(accepted, oidc_service)  # and it goes on working
    assert Client.objects.get(pk=oidc_service.oidc_client_id).secret == stored


@pytest.mark.parametrize("stored", ["argon2", "keyed"])
def test_a_wrong_secret_is_refused_and_upgrades_nothing(accepted, oidc_service, stored):
    if stored == "argon2":
        Client.objects.filter(pk=oidc_service.oidc_client_id).update(
            secret=make_password(oidc_service.secret)
        )
    before = Client.objects.get(pk=oidc_service.oidc_client_id).secret
    code, verifier = code_for(accepted, oidc_service)
    response = exchange_code(
        accepted,
        oidc_service,
        code,
        verifier,
        authorization=basic_auth(oidc_service.oidc_client_id, oidc_service.secret + "x"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert Client.objects.get(pk=oidc_service.oidc_client_id).secret == before


def test_a_token_request_reads_the_person_once(accepted, oidc_service):
    """The door's checks and the claims share what they read: the service's establishments
    and the person's current enrolments, once each."""
    code, verifier = code_for(accepted, oidc_service)
    with CaptureQueriesContext(connection) as captured:
        assert exchange_code(accepted, oidc_service, code, verifier).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    enrolments = [s for s in sql if 'FROM "schools_enrolment"' in s]
    establishments = [s for s in sql if "idp_connectedservice_establishments" in s]
    assert len(enrolments) == 1, enrolments
    assert len(establishments) == 1, establishments
