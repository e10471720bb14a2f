"""Connected services for the identity provider's tests: the fixtures (``oidc_service``,
``public_service``, ``cas_service``), a pytest plugin listed in tests/conftest.py so that
tests/idp and tests/e2e both find them, and the helpers their tests import."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from idp.actions import do_save_service
from idp.models import ConnectedService

REDIRECT_URI = "https://cdt.example.test/oidc/callback/"
CAS_SERVICE = "https://mediatheque.example.test/cas/"


@pytest.fixture
def oidc_service(establishment):
    """A confidential OpenID Connect client, offered to « Collège Alfred Bruzet »; its secret
    is ``oidc_service.secret``."""
    service = ConnectedService(
        name="Cahier de textes",
        protocol=ConnectedService.Protocol.OIDC,
        home_url="https://cdt.example.test/",
        attributes=["identifiant", "profile", "etablissement", "email"],
        redirect_uris=REDIRECT_URI,
        post_logout_redirect_uris="https://cdt.example.test/au-revoir/",
        backchannel_logout_uri="https://cdt.example.test/oidc/backchannel-logout/",
    )
    service.secret = do_save_service(service)
    service.establishments.add(establishment)
    return service


@pytest.fixture
def public_service(db):
    service = ConnectedService(
        name="Appli mobile",
        protocol=ConnectedService.Protocol.OIDC,
        client_type=ConnectedService.ClientType.PUBLIC,
        home_url="https://appli.example.test/",
        attributes=["profile"],
        redirect_uris="https://appli.example.test/retour",
    )
    do_save_service(service)
    return service


@pytest.fixture
def cas_service(establishment):
    service = ConnectedService(
        name="Médiathèque",
        protocol=ConnectedService.Protocol.CAS,
        home_url="https://mediatheque.example.test/",
        attributes=["profile", "etablissement"],
        cas_service_prefixes=CAS_SERVICE,
    )
    do_save_service(service)
    service.establishments.add(establishment)
    return service


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorize_url(service, *, redirect_uri=REDIRECT_URI, challenge=None, **extra):
    params = {
        "client_id": service.oidc_client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": "openid identifiant profile etablissement email",
        "state": "etat-123",
        "nonce": "nonce-456",
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra)
    return "/identity/o/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


TOKEN_PATH = "/identity/o/api/token"


def basic_auth(client_id, secret):
    """An HTTP Basic header as most clients send it (id and secret as they are)."""
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def exchange_code(client, service, code, verifier, *, authorization=None):
    """The token request of the code flow, the service authenticated by HTTP Basic."""
    return client.post(
        TOKEN_PATH,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        HTTP_AUTHORIZATION=authorization or basic_auth(service.oidc_client_id, service.secret),
    )


def tokens_of(client, service):
    """The whole code flow for ``client``'s signed-in person: the token response, as JSON."""
    verifier, challenge = pkce_pair()
    code = query_of(client.get(authorize_url(service, challenge=challenge))["Location"])["code"]
    response = exchange_code(client, service, code, verifier)
    assert response.status_code == 200, response.content
    return response.json()


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def run_single_sign_out():
    """What ``manage.py db_worker`` does with the queued single sign-out jobs, here: each job
    queued now runs once (a retry it queues stays queued). How many ran."""
    from django_tasks_db.models import DBTaskResult

    from idp.tasks import notify_services

    queued = list(
        DBTaskResult.objects.filter(status="READY", task_path=notify_services.module_path)
    )
    for job in queued:
        job.delete()
        notify_services.call(*job.args_kwargs["args"])
    return len(queued)
