"""Every state change of the identity provider, each one atomic with its audit row
(docs/architecture.md, « Le trajet d'un changement d'état »).

The audit trail is written here and nowhere else in idp/: the one import of audit below.
The provider's own kinds of event are stored in ``details["kind"]`` under the generic sign-in
actions (no new choice, so no migration of the audit table)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from allauth.idp.oidc.adapter import get_adapter as get_oidc_adapter
from allauth.idp.oidc.models import Client, Token
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone

from audit.models import Action, record
from idp.client_secrets import hash_client_secret, is_keyed
from idp.models import CasTicket, ConnectedService, LogoutNotice, ServiceSession
from idp.tasks import notify_services

logger = logging.getLogger(__name__)

# The provider's kinds of audit event (details["kind"]).
SERVICE_GRANTED = "idp_service_granted"
SERVICE_REFUSED = "idp_service_refused"
# Why a service was refused (details["reason"]).
CHARTER_REFUSED = "charter_refused"
NOT_OFFERED = "not_offered"
CHARTER_NOT_ACCEPTED = "charter_not_accepted"
PROVISIONAL = "provisional"
# The door's answer (idp.doors.refusal_reason) as an audited reason.
DOOR_REASONS = {
    "provisional": PROVISIONAL,
    "not_offered": NOT_OFFERED,
    "charter": CHARTER_NOT_ACCEPTED,
}


def ticket_hash(ticket):
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def do_save_service(service: ConnectedService):
    """Save a registry entry and keep its OpenID Connect client in step. Returns the client's
    new secret when one was made (shown once), else None."""
    service.save()
    if service.protocol != ConnectedService.Protocol.OIDC:
        return None
    secret = None
    client = service.oidc_client
    if client is None:
        client = Client(name=service.name[:100])
        if service.client_type == ConnectedService.ClientType.CONFIDENTIAL:
            secret = get_oidc_adapter().generate_client_secret()
            client.secret = hash_client_secret(secret)
    client.name = service.name[:100]
    client.type = service.client_type
    client.skip_consent = True  # the school chose the service; the charter is asked at its door
    client.set_scopes(["openid", *service.attributes])
    client.set_default_scopes(["openid"])
    client.grant_types = "\n".join(
        [Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN]
    )
    client.response_types = "code"
    client.allow_uri_wildcards = False
    client.set_redirect_uris(service.get_redirect_uris())
    client.set_post_logout_redirect_uris(service.get_post_logout_redirect_uris())
    client.save()
    if service.oidc_client_id != client.pk:
        service.oidc_client = client
        service.save(update_fields=["oidc_client"])
    return secret


@transaction.atomic
def do_set_client_secret(service: ConnectedService, secret: str):
    """A known secret (the example service of `make example`); only its hash is kept."""
    service.oidc_client.secret = hash_client_secret(secret)
    service.oidc_client.save(update_fields=["secret"])


def do_upgrade_client_secret(client: Client, secret: str) -> bool:
    """A client secret stored with a slow hash (argon2, allauth's default before
    idp/client_secrets.py), just presented right: stored again as the keyed hash, which checks
    it in microseconds from now on. The same secret, so no audit row (as Django's own upgrade
    of a password's hash). One conditional UPDATE: two requests at once store it once. True
    when this call upgraded it."""
    if is_keyed(client.secret) or not check_password(secret, client.secret):
        return False
    keyed = hash_client_secret(secret)
    upgraded = Client.objects.filter(pk=client.pk, secret=client.secret).update(secret=keyed)
    client.secret = keyed
    return bool(upgraded)


@transaction.atomic
def do_keep_auth_time(tokens, auth_time):
    """Keep the sign-in time (OIDC `auth_time`) with allauth's ``tokens`` (a queryset: the
    code just issued, or the refresh token just made from it), for the id_tokens to come."""
    for token in tokens.select_for_update():
        data = token.data if isinstance(token.data, dict) else {}
        if data.get("auth_time") != auth_time:
            token.data = {**data, "auth_time": auth_time}
            token.save(update_fields=["data"])


def _forget_old_service_sessions():
    """A portal session that ended without a sign-out (browser closed) leaves its rows: gone
    once older than the longest session."""
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ServiceSession.objects.filter(created_at__lt=too_old).delete()
    # Notices that no worker sent (none was running) are stale by then too.
    LogoutNotice.objects.filter(created_at__lt=too_old).delete()


def _remember(user, service, session_key, **session_fields):
    """What single sign-out must reach: one row per service and per portal session (a CAS
    service signed into again in the same browser keys its session on the newest ticket)."""
    _forget_old_service_sessions()
    if session_key:
        ServiceSession.objects.filter(session_key=session_key, service=service).delete()
    ServiceSession.objects.create(
        user=user, service=service, session_key=session_key or "", **session_fields
    )


def _grant(user, service, *, protocol, ip, session_key, **session_fields):
    _remember(user, service, session_key, **session_fields)
    record(
        Action.SIGN_IN_SUCCEEDED,
        subject=user,
        actor=user,
        ip=ip,
        kind=SERVICE_GRANTED,
        service=service.name,
        protocol=protocol,
    )


@transaction.atomic
def do_record_oidc_grant(user, service, *, session_key, issuer, ip=None):
    """An authorization code was issued to ``service`` for ``user`` by ``issuer``."""
    _grant(user, service, protocol="oidc", ip=ip, session_key=session_key, oidc_issuer=issuer)


@transaction.atomic
def do_refuse_service(user, service, *, reason, protocol, ip=None):
    """No code, no ticket: audited with the reason."""
    record(
        Action.SIGN_IN_FAILED,
        subject=user,
        actor=user,
        ip=ip,
        kind=SERVICE_REFUSED,
        reason=reason,
        service=service.name if service else "",
        protocol=protocol,
    )


@transaction.atomic
def do_withdraw_tokens(user, client, service, *, reason, ip=None):
    """The door refuses ``user`` now at a use of ``client``'s tokens (a refresh, userinfo):
    every token of the person for that client is revoked, and the refusal audited."""
    Token.objects.filter(user=user, client=client).delete()
    record(
        Action.SIGN_IN_FAILED,
        subject=user,
        ip=ip,
        kind=SERVICE_REFUSED,
        reason=DOOR_REASONS.get(reason, reason),
        service=service.name if service else client.name,
        protocol="oidc",
        tokens_revoked=True,
    )


@transaction.atomic
def do_issue_cas_ticket(user, service, service_url, *, session_key, ip=None, renewed=False) -> str:
    """A service ticket for ``service_url`` (already matched to ``service``): 160 random bits,
    of which only the hash is stored; valid settings.IDP_CAS_TICKET_SECONDS. ``renewed``: issued
    just after the password was given (CAS `renew`), not from the single sign-on session."""
    now = timezone.now()
    CasTicket.objects.filter(expires_at__lt=now - timedelta(minutes=5)).delete()
    ticket = f"ST-{secrets.token_urlsafe(20)}"
    CasTicket.objects.create(
        ticket_hash=ticket_hash(ticket),
        service=service,
        service_url=service_url,
        user=user,
        session_key=session_key or "",
        expires_at=now + timedelta(seconds=settings.IDP_CAS_TICKET_SECONDS),
        renewed=renewed,
    )
    record(
        Action.SIGN_IN_SUCCEEDED,
        subject=user,
        actor=user,
        ip=ip,
        kind=SERVICE_GRANTED,
        service=service.name,
        protocol="cas",
    )
    return ticket


@transaction.atomic
def do_validate_cas_ticket(ticket, service_url, *, renew=False):
    """Consume ``ticket``: whatever the outcome, it never validates again. Returns (user,
    service, None), or (None, None, "INVALID_TICKET" | "INVALID_SERVICE" |
    "INVALID_TICKET_SPEC") — returned, not raised, so that the ticket's deletion is committed
    on a refusal too. ``renew``: only a ticket issued after the password was given validates
    (CAS 3.0 §2.5.1), never one issued from the single sign-on session."""
    if not ticket.startswith("ST-") or len(ticket) > 256:
        return None, None, "INVALID_TICKET"
    found = (
        CasTicket.objects.filter(ticket_hash=ticket_hash(ticket))
        .select_related("user", "service")
        .first()
    )
    # The DELETE decides who used it: of two concurrent validations, one deletes the row.
    if found is None or CasTicket.objects.filter(pk=found.pk).delete()[0] != 1:
        return None, None, "INVALID_TICKET"
    if found.is_expired() or not found.user.is_active or not found.service.is_active:
        return None, None, "INVALID_TICKET"
    if found.service_url != service_url:
        return None, None, "INVALID_SERVICE"
    if renew and not found.renewed:
        return None, None, "INVALID_TICKET_SPEC"
    _remember(
        found.user,
        found.service,
        found.session_key,
        cas_ticket=ticket,
        cas_service_url=service_url,
    )
    return found.user, found.service, None


def _notices(sessions):
    """The LogoutNotice of each service of each portal session (the newest row of a service in
    a session; at most IDP_LOGOUT_NOTICES_PER_SESSION per session, the most recent)."""
    adapter = get_oidc_adapter()
    newest = {}
    for session in sorted(sessions, key=lambda s: (s.created_at, s.pk), reverse=True):
        newest.setdefault((session.session_key, session.service_id), session)
    per_session, notices = {}, []
    for (session_key, _service), session in newest.items():
        service = session.service
        if per_session.get(session_key, 0) >= settings.IDP_LOGOUT_NOTICES_PER_SESSION:
            logger.warning("Single sign-out: %s not told (cap of the session reached)", service)
            continue
        if session.cas_ticket and session.cas_service_url.startswith(("http://", "https://")):
            notice = LogoutNotice(
                kind=LogoutNotice.Kind.CAS,
                url=session.cas_service_url,
                cas_ticket=session.cas_ticket,
            )
        elif service.oidc_client_id and service.backchannel_logout_uri and session.oidc_issuer:
            notice = LogoutNotice(
                kind=LogoutNotice.Kind.OIDC,
                url=service.backchannel_logout_uri,
                sub=adapter.get_user_sub(service.oidc_client, session.user),
                oidc_issuer=session.oidc_issuer,
            )
        else:
            continue
        notice.service, notice.session_key = service, session_key
        per_session[session_key] = per_session.get(session_key, 0) + 1
        notices.append(notice)
    return notices


def _end_service_sessions(rows, *, tokens):
    """Delete the service sessions ``rows`` and the tokens ``tokens`` (a queryset, or None for
    the tokens of these sessions' services), write the notices, and queue one background job
    that tells the services, once committed (idp/tasks.py): the request never waits for one."""
    with transaction.atomic():
        sessions = list(rows.select_related("service", "service__oidc_client", "user"))
        if tokens is None:
            clients = {s.service.oidc_client_id for s in sessions if s.service.oidc_client_id}
            users = {s.user_id for s in sessions}
            tokens = Token.objects.filter(user_id__in=users, client_id__in=clients)
        tokens.delete()
        if not sessions:
            return
        ServiceSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
        notices = LogoutNotice.objects.bulk_create(_notices(sessions))
        if notices:
            ids = [notice.pk for notice in notices]
            transaction.on_commit(lambda: _queue_notices(ids))


def _queue_notices(ids):
    """Never an error for the person signing out: a queue that refuses is logged (those
    notices are never sent; the clean-up of old service sessions drops them)."""
    try:
        notify_services.enqueue(ids)
    except Exception:
        logger.exception("Single sign-out not queued (%s notices)", len(ids))


def do_single_logout(user, session_key=None):
    """The portal session ``session_key`` ends (or, without one, every session of ``user``):
    each service it signed into is told (CAS single sign-out, OIDC back-channel logout) by the
    background worker, and its OIDC tokens are revoked."""
    if session_key:
        rows = ServiceSession.objects.filter(session_key=session_key)
    elif user is not None and user.pk:
        rows = ServiceSession.objects.filter(user=user)
    else:
        return
    _end_service_sessions(rows, tokens=None)


def do_sign_out_everywhere(users):
    """A new letter (re-issue, class reset) or a departure: every service session of these
    people ends through single sign-out, and all their tokens, for every service, are
    revoked."""
    ids = [user.pk for user in users if user.pk]
    if ids:
        _end_service_sessions(
            ServiceSession.objects.filter(user_id__in=ids),
            tokens=Token.objects.filter(user_id__in=ids),
        )
