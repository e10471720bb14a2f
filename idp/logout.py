"""Single sign-out: tell each service a portal session signed into that it has ended.

CAS: a SAML LogoutRequest POSTed to the service URL the ticket was issued for (CAS protocol 3.0,
§2.3.3). OpenID Connect: a signed logout_token POSTed to the service's back-channel logout URI
(OpenID Connect Back-Channel Logout 1.0). Only to addresses of the registry.

Never during the sign-out's request: the sign-out writes one LogoutNotice per service and per
portal session, and the background worker (idp/tasks.py) sends them all at once, one thread
each, under one deadline (settings.IDP_LOGOUT_DEADLINE_SECONDS). A service that does not answer
delays nobody; its notice is tried again a few times, then given up, in the log."""

import logging
import secrets
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlencode

from allauth.core.internal import jwkkit
from allauth.core.internal.deferred import jwt
from allauth.idp.oidc.adapter import get_adapter as get_oidc_adapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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


# At most this many services are told at once, by as many threads.
MAX_THREADS = 16

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def _post(url, data, *, timeout):
    """True when the service answered 2xx."""
    request = urllib.request.Request(  # noqa: S310 (only registry URLs, http or https)
        url,
        data=urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return 200 <= response.status < 300
    except Exception as exc:  # a service down does not stop the sign-out
        logger.warning("Single sign-out to %s failed: %s", url, exc)
        return False


def payload(notice):
    """The form a notice POSTs; raises ImproperlyConfigured without an OIDC signing key."""
    if notice.kind == notice.Kind.CAS:
        return {"logoutRequest": cas_logout_request(notice.cas_ticket)}
    return {
        "logout_token": logout_token(notice.oidc_issuer, notice.service.oidc_client_id, notice.sub)
    }


def deliver(notices):
    """Tell every service of ``notices`` at once, under one deadline: {notice pk: SENT, FAILED
    or SKIPPED}. A service still silent at the deadline is FAILED (its thread ends with its
    own timeout, never later than the deadline); SKIPPED: no signing key, nothing to send."""
    outcomes, forms = {}, {}
    for notice in notices:
        try:
            forms[notice.pk] = (notice.url, payload(notice))
        except ImproperlyConfigured as exc:  # no OIDC signing key: logged, never a 500
            logger.error("Single sign-out to %s skipped: %s", notice.url, exc)
            outcomes[notice.pk] = SKIPPED
    if not forms:
        return outcomes
    deadline = settings.IDP_LOGOUT_DEADLINE_SECONDS
    timeout = min(settings.IDP_LOGOUT_TIMEOUT_SECONDS, deadline)
    pool = ThreadPoolExecutor(
        max_workers=min(MAX_THREADS, len(forms)), thread_name_prefix="single-sign-out"
    )
    futures = {
        pool.submit(_post, url, data, timeout=timeout): pk for pk, (url, data) in forms.items()
    }
    done, late = wait(futures, timeout=deadline)
    pool.shutdown(wait=False, cancel_futures=True)
    for future in done:
        outcomes[futures[future]] = SENT if future.result() else FAILED
    for future in late:
        pk = futures[future]
        logger.warning("Single sign-out to %s: no answer before the deadline", forms[pk][0])
        outcomes[pk] = FAILED
    return outcomes
