"""Fuzzed parameters at every door of the provider: never a 500, never a code or a ticket
for an invalid request, never a redirect to an unregistered address."""

from urllib.parse import urlsplit

from allauth.idp.oidc.models import Token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idp.models import CasTicket
from tests.connected_services import CAS_SERVICE, REDIRECT_URI

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
weird = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "é" * 300,
        "%00",
        "https://evil.test/",
        "//evil.test",
        "javascript:alert(1)",
        REDIRECT_URI,
        REDIRECT_URI + "#x",
        CAS_SERVICE,
        CAS_SERVICE + "\r\nSet-Cookie: x=1",
        "http://[::1",
        "https://a:b@evil.test/",
        "ST-" + "A" * 27,
        "none",
        "login consent",
        "S256",
        "plain",
    ]
)
value = st.one_of(st.text(max_size=120), weird)
OIDC_PARAMS = [
    "client_id",
    "response_type",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "prompt",
    "code_challenge",
    "code_challenge_method",
    "max_age",
    "request",
]


def _no_foreign_redirect(response, allowed):
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        parts = urlsplit(location)
        if parts.netloc:
            assert any(location.startswith(a) for a in allowed), location


@FUZZ
@given(params=st.dictionaries(st.sampled_from(OIDC_PARAMS), value, max_size=8), fixed=st.booleans())
def test_fuzzed_authorization_requests(accepted, oidc_service, params, fixed):
    if fixed:
        params = {**params, "client_id": oidc_service.oidc_client_id}
    response = accepted.get("/identity/o/authorize", params)
    assert response.status_code < 500
    _no_foreign_redirect(response, [REDIRECT_URI])
    if params.get("redirect_uri") != REDIRECT_URI:
        assert not Token.objects.exists()


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["service", "gateway", "renew", "x"]), value))
def test_fuzzed_cas_login(accepted, cas_service, params):
    response = accepted.get("/cas/login", params)
    assert response.status_code < 500
    _no_foreign_redirect(response, [CAS_SERVICE])


@FUZZ
@given(
    params=st.dictionaries(st.sampled_from(["service", "ticket", "pgtUrl", "renew"]), value),
    p3=st.booleans(),
)
def test_fuzzed_cas_validation(client, cas_service, params, p3):
    path = "/cas/p3/serviceValidate" if p3 else "/cas/serviceValidate"
    response = client.get(path, params)
    assert response.status_code in (200, 400)  # 400: a NUL byte
    assert response.status_code == 400 or b"authenticationFailure" in response.content
    assert not CasTicket.objects.exists()


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["grant_type", "code", "redirect_uri", "code_verifier", "client_id", "refresh_token"]
        ),
        value,
    )
)
def test_fuzzed_token_requests(client, oidc_service, params):
    response = client.post("/identity/o/api/token", params)
    assert response.status_code in (400, 401)


def test_a_nul_byte_is_a_bad_request_not_a_500(client, accepted, oidc_service, cas_service):
    """PostgreSQL refuses NUL in text: the provider says 400 before any lookup."""
    assert client.post("/identity/o/api/token", {"client_id": "\x00"}).status_code == 400
    assert accepted.get("/identity/o/authorize", {"client_id": "a\x00"}).status_code == 400
    assert client.get("/cas/p3/serviceValidate", {"ticket": "ST-\x00"}).status_code == 400


@FUZZ
@given(next_url=value, refuse=st.booleans())
def test_fuzzed_charter_at_the_door(client_pupil, charter, oidc_service, next_url, refuse):
    if refuse:
        response = client_pupil.post("/fournisseur/charte/refuser/", {"next": next_url})
    else:
        response = client_pupil.get("/fournisseur/charte/", {"next": next_url})
    assert response.status_code < 500
    _no_foreign_redirect(response, [])


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["service", "x"]), value), post=st.booleans())
def test_fuzzed_cas_logout(client, cas_service, params, post):
    response = client.post("/cas/logout", params) if post else client.get("/cas/logout", params)
    assert response.status_code < 500
    _no_foreign_redirect(response, [])
