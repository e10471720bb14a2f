"""Single sign-out: tell each service a portal session signed into that it has ended.

CAS: a SAML LogoutRequest POSTed to the service URL the ticket was issued for (CAS protocol 3.0,
§2.3.3). OpenID Connect: a signed logout_token POSTed to the service's back-channel logout URI
(OpenID Connect Back-Channel Logout 1.0). Only to addresses of the registry; short timeout; a
service that does not answer does not stop the sign-out."""

import logging
import secrets
import time
import urllib.request
from urllib.parse import urlencode

from allauth.core.internal import jwkkit
from allauth.core.internal.deferred import jwt
from allauth.idp.oidc.adapter import get_adapter as get_oidc_adapter
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

logger = logging.getLogger(__name__)

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def cas_logout_request(ticket):
    issued = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="LR-{secrets.token_hex(16)}" Version="2.0" IssueInstant="{issued}">'
        "<saml:NameID>@NOT_USED@</saml:NameID>"
        f"<samlp:SessionIndex>{escape(ticket)}</samlp:SessionIndex>"
        "</samlp:LogoutRequest>"
    )


def logout_token(issuer, client_id, sub):
    key = get_oidc_adapter().get_signing_key()
    jwk, private_key = jwkkit.load_jwk_from_pem(key.pem)
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_hex(16),
        "sub": sub,
        "events": {BACKCHANNEL_EVENT: {}},
    }
    return jwt.encode(
        claims, private_key, algorithm="RS256", headers={"kid": jwk["kid"], "typ": "logout+jwt"}
    )


def _post(url, data):
    request = urllib.request.Request(  # noqa: S310 (only registry URLs, http or https)
        url,
        data=urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.IDP_LOGOUT_TIMEOUT_SECONDS
        ) as response:
            return response.status
    except Exception as exc:  # a service down does not stop the sign-out
        logger.warning("Single sign-out to %s failed: %s", url, exc)
        return None


def notify(user, sessions):
    adapter = get_oidc_adapter()
    for session in sessions:
        service = session.service
        if session.cas_ticket and session.cas_service_url.startswith(("http://", "https://")):
            request = cas_logout_request(session.cas_ticket)
            _post(session.cas_service_url, {"logoutRequest": request})
        elif (
            service.oidc_client_id
            and service.backchannel_logout_uri
            and session.oidc_issuer
            and user is not None
        ):
            sub = adapter.get_user_sub(service.oidc_client, user)
            token = logout_token(session.oidc_issuer, service.oidc_client_id, sub)
            _post(service.backchannel_logout_uri, {"logout_token": token})
