import base64
import time
from urllib.parse import parse_qs, unquote_plus, urlsplit

from allauth.core.internal.httpkit import add_query_params, del_query_params, extract_basic_auth
from allauth.idp.oidc import views as allauth_views
from allauth.idp.oidc.adapter import get_adapter as get_oidc_adapter
from allauth.idp.oidc.forms import RPInitiatedLogoutForm
from allauth.idp.oidc.internal.oauthlib.server import get_server
from allauth.idp.oidc.internal.oauthlib.utils import extract_params, get_validator_context
from allauth.idp.oidc.models import Client, Token
from allauth.idp.oidc.views import AuthorizationView, LogoutView
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oauthlib.oauth2.rfc6749 import errors

from charter.forms import AcceptanceForm
from charter.models import Charter
from charter.rules import needs_acceptance
from idp import actions, token_door
from idp.client_secrets import is_keyed, presented
from idp.doors import (
    DETOUR,
    RENEWING,
    Found,
    auth_time,
    client_ip,
    continue_to,
    detour,
    older_than,
    reauthenticate,
    refusal_reason,
    sign_in_again,
)
from idp.rules import cas_service_for, oidc_service_for, service_behind

LOGOUT_PATH = "/identity/o/logout"

# ----------------------------------------------------------------------------- OpenID Connect


def _validated(uri, method="GET", body="", headers=None):
    """oauthlib's validation of an authorization request (client, exact redirect URI, PKCE for
    public clients, scopes): (request_info) or None when it is not a valid request."""
    try:
        server = get_server()
        _scopes, info = server.validate_authorization_request(uri, method, body, headers or {})
    except (errors.OAuth2Error, ValidationError):
        return None
    return info


def _inexact_redirect_uri(request):
    """allauth compares redirect URIs without their query; ours must be registered exactly
    (string comparison, OAuth 2.0 Security BCP), or no answer goes there, not even an error."""
    client = Client.objects.filter(pk=request.GET.get("client_id", "")[:100]).first()
    redirect_uri = request.GET.get("redirect_uri")
    return client is not None and redirect_uri and redirect_uri not in client.get_redirect_uris()


def _oidc_error_url(info, error, description=""):
    params = {"error": error}
    if description:
        params["error_description"] = description
    if info.get("state"):
        params["state"] = info["state"]
    return add_query_params(info["redirect_uri"], params)


@method_decorator(never_cache, name="dispatch")
class AuthorizationDoor(AuthorizationView):
    """allauth's authorization endpoint, behind the ENT's door: the service must be offered to
    the person, and the charter in force accepted, before any code is issued."""

    def dispatch(self, request, *args, **kwargs):
        """The `claims` request parameter is not supported (the discovery document says so):
        dropped before oauthlib reads it, as OIDC Core §5.5 allows; a malformed one (`claims=x`,
        a JSON list) was a 500 inside oauthlib and allauth."""
        if "claims" in request.GET:
            query = request.GET.copy()
            query.pop("claims")
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if _inexact_redirect_uri(request):
            return render(request, "idp/bad_request.html", status=400)
        if not request.user.is_authenticated:
            if "none" not in request.GET.get("prompt", "").split():
                request.session[DETOUR] = True
            return super().get(request, *args, **kwargs)
        info = _validated(*extract_params(request))
        if info is None:  # allauth answers: an error page, or an error to a known redirect URI
            return super().get(request, *args, **kwargs)
        service = oidc_service_for(info["client_id"])
        reason = refusal_reason(request.user, service)
        prompts = set(request.GET.get("prompt", "").split())
        if reason == "provisional":
            if "none" in prompts:
                return Found(_oidc_error_url(info, "login_required"))
            return sign_in_again(request, request.get_full_path())
        if reason == "not_offered":
            actions.do_refuse_service(
                request.user,
                service,
                reason=actions.NOT_OFFERED,
                protocol="oidc",
                ip=client_ip(request),
            )
            return Found(
                _oidc_error_url(info, "access_denied", "service not offered to the user's school")
            )
        if reason == "charter":
            if "none" in prompts:  # a silent sign-in cannot show the charter
                actions.do_refuse_service(
                    request.user,
                    service,
                    reason=actions.CHARTER_NOT_ACCEPTED,
                    protocol="oidc",
                    ip=client_ip(request),
                )
                return Found(_oidc_error_url(info, "consent_required"))
            return detour(request, "idp:charter", request.get_full_path())
        max_age = _max_age(request)
        if "login" in prompts or (max_age is not None and older_than(request, max_age)):
            if "none" in prompts:
                return Found(_oidc_error_url(info, "login_required"))
            # Back to the door without them, or it would ask again and again (max_age=0).
            door = del_query_params(request.get_full_path(), "prompt", "max_age")
            return reauthenticate(request, door)
        response = super().get(request, *args, **kwargs)
        location = response.get("Location", "") if response.status_code == 302 else ""
        codes = parse_qs(urlsplit(location).query).get("code")
        if codes:
            actions.do_record_oidc_grant(
                request.user,
                service,
                session_key=request.session.session_key,
                issuer=get_oidc_adapter().get_issuer(),
                ip=client_ip(request),
            )
            signed_in = auth_time(request)
            if signed_in is not None:
                actions.do_keep_auth_time(
                    Token.objects.by_value(codes[0]).filter(
                        client_id=info["client_id"], type=Token.Type.AUTHORIZATION_CODE
                    ),
                    int(signed_in),
                )
            return continue_to(request, location, service)
        return response

    def post(self, request, *args, **kwargs):
        """An authorization request sent by POST becomes a GET at this door (allauth). Its
        consent form is never shown (the registry's clients skip it: the charter is the
        condition of entry), so a posted consent is refused, whatever it carries."""
        if request.POST.get("request"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)


authorize = AuthorizationDoor.as_view()


def _max_age(request):
    """OIDC `max_age`: a number of seconds, or None (absent or not a number: ignored)."""
    value = request.GET.get("max_age", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _form_decoded_basic_credentials(request):
    """RFC 6749 §2.3.1: a client sends its id and secret form-url-encoded in HTTP Basic (pyoidc,
    Authlib do). allauth compares them as sent: decoded here when the decoded pair is the
    client's. A client that sends them raw (allauth's, requests' HTTPBasicAuth) still gets in:
    a secret issued here is URL-safe, the same string both ways (idp/adapter.py)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    client_id, secret = extract_basic_auth({"Authorization": header})
    if not client_id or not secret:
        return
    decoded_id, decoded_secret = unquote_plus(client_id), unquote_plus(secret)
    if (decoded_id, decoded_secret) == (client_id, secret) or ":" in decoded_id:
        return
    client = Client.objects.filter(pk=decoded_id[:100]).first()
    if client is None or not client.check_secret(decoded_secret):
        return
    pair = f"{decoded_id}:{decoded_secret}".encode()
    request.META["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair).decode()


@csrf_exempt
def token(request, *args, **kwargs):
    """allauth's token endpoint, with credentials decoded the RFC way; the sign-in time of the
    code (or of the refresh token used) is kept with the new refresh token, so that the
    id_tokens it brings carry the same `auth_time`."""
    _form_decoded_basic_credentials(request)
    refused = token_door.refusal(request)
    if refused is not None:
        return refused
    response = allauth_views.token(request, *args, **kwargs)
    ctx = get_validator_context()
    if response.status_code == 200:
        _upgrade_client_secret(request, ctx)
    signed_in = getattr(ctx, "portal_auth_time", None)
    if response.status_code == 200 and signed_in is not None and ctx.grant_id:
        actions.do_keep_auth_time(
            Token.objects.filter(type=Token.Type.REFRESH_TOKEN, data__grant_id=ctx.grant_id),
            signed_in,
        )
    return response


def _upgrade_client_secret(request, ctx):
    """After a token answered: a secret stored with argon2 (before idp/client_secrets.py) is
    stored again as the keyed hash, once (idp/actions.py). Nothing to do, and no query, when it
    already is: allauth has looked the client up (``ctx.clients``)."""
    client_id, secret = presented(request)
    client = ctx.clients.get(client_id) if client_id else None
    if client is not None and secret and not is_keyed(client.secret):
        actions.do_upgrade_client_secret(client, secret)


# The claims of a person: never kept by a cache between the service and the portal.
userinfo = csrf_exempt(never_cache(allauth_views.user_info))


def unmounted(request, *args, **kwargs):
    """allauth's device flow: no registered client may use it, so it is not served."""
    raise Http404


class ExactLogoutForm(RPInitiatedLogoutForm):
    """allauth accepts any address on the origin of a redirect URI; here it must be one of
    the service's registered post-logout addresses, exactly (string comparison)."""

    def clean(self):
        data = super().clean()
        client = data.get("client")
        uri = data.get("post_logout_redirect_uri")
        if client is not None and uri and uri not in client.get_post_logout_redirect_uris():
            self.add_error(
                "post_logout_redirect_uri",
                _("Cette adresse de retour n'est pas enregistrée pour ce service."),
            )
        return data


class LogoutDoor(LogoutView):
    """allauth's RP-initiated logout; after its form (« Se déconnecter ? »), a page that goes on
    to the service instead of a redirect, which the CSP's form-action 'self' would block."""

    form_class = ExactLogoutForm

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        location = response.get("Location", "") if response.status_code == 302 else ""
        if urlsplit(location).netloc and urlsplit(location).netloc != request.get_host():
            client_id = request.POST.get("client_id", "")
            return render(
                request,
                "idp/continue.html",
                {"url": location, "service": oidc_service_for(client_id), "signed_out": True},
            )
        return response


logout_door = LogoutDoor.as_view()


# ----------------------------------------------------------------------------- the charter


@never_cache
@require_GET
@login_required
def charter(request):
    """The charter, asked for by a service: the same text and form as the ENT's (charter:accept
    records the acceptance and comes back to the door), with the service named."""
    next_url = request.GET.get("next", "")
    service, _kind = service_behind(next_url)
    if service is None:
        return redirect("charter:accept")
    current = Charter.objects.current()
    if current is None or not needs_acceptance(request.user, current):
        return redirect(next_url)
    return render(
        request,
        "idp/charter.html",
        {
            "charter": current,
            "form": AcceptanceForm(),
            "next": next_url,
            "service": service,
            "new_version": request.user.charter_acceptances.exists(),
        },
    )


@never_cache
@require_POST
@login_required
def refuse(request):
    """« Je refuse » at a service's door: no code, no ticket; the service is told (OIDC
    access_denied) and the person is told why."""
    next_url = request.POST.get("next", "")
    service, kind = service_behind(next_url)
    if service is None:
        return redirect("charter:accept")
    actions.do_refuse_service(
        request.user,
        service,
        reason=actions.CHARTER_REFUSED,
        protocol=kind,
        ip=client_ip(request),
    )
    back = None
    if kind == "oidc":
        info = _validated(next_url)
        if info is not None:
            back = _oidc_error_url(info, "access_denied", "the user refused the charter of use")
    return render(request, "idp/refused.html", {"service": service, "back": back}, status=403)


# ----------------------------------------------------------------------------- CAS 3.0


@never_cache
@require_GET
def cas_login(request):
    service_url = request.GET.get("service", "")
    if not service_url:
        return redirect("portal:services" if request.user.is_authenticated else "account_login")
    service = cas_service_for(service_url)
    if service is None:  # never a ticket, nor a redirect, to an unknown address
        return render(request, "idp/cas_unknown_service.html", status=400)
    renew = _flag(request.GET.get("renew"))
    # CAS 3.0 §2.1.1: with renew, gateway is ignored.
    gateway = not renew and _flag(request.GET.get("gateway"))
    door = request.get_full_path()
    if not request.user.is_authenticated:
        if gateway:
            return Found(service_url)
        if renew:
            request.session[RENEWING] = {"door": door, "at": time.time()}
        return detour(request, "account_login", door)
    reason = refusal_reason(request.user, service)
    if reason == "provisional":
        return Found(service_url) if gateway else sign_in_again(request, request.get_full_path())
    if reason == "not_offered":
        actions.do_refuse_service(
            request.user, service, reason=actions.NOT_OFFERED, protocol="cas", ip=client_ip(request)
        )
        return render(request, "idp/not_offered.html", {"service": service}, status=403)
    if reason == "charter":
        if gateway:  # « gateway »: no page may be shown, so no charter either
            actions.do_refuse_service(
                request.user,
                service,
                reason=actions.CHARTER_NOT_ACCEPTED,
                protocol="cas",
                ip=client_ip(request),
            )
            return Found(service_url)
        return detour(request, "idp:charter", request.get_full_path())
    if renew:
        # Never from the single sign-on session: the password first, given after this door
        # asked for it; then a ticket that a validation with renew accepts.
        renewing = request.session.get(RENEWING)
        signed_in = auth_time(request)
        if not (
            isinstance(renewing, dict)
            and renewing.get("door") == door
            and signed_in is not None
            and signed_in >= renewing.get("at", float("inf"))
        ):
            request.session[RENEWING] = {"door": door, "at": time.time()}
            return reauthenticate(request, door)
        del request.session[RENEWING]
    ticket = actions.do_issue_cas_ticket(
        request.user,
        service,
        service_url,
        session_key=request.session.session_key,
        ip=client_ip(request),
        renewed=renew,
    )
    return continue_to(request, add_query_params(service_url, {"ticket": ticket}), service)


def _flag(value):
    """A CAS boolean parameter (`renew`, `gateway`): set unless absent, empty, false or 0."""
    return (value or "") not in ("", "false", "0")


def _cas_response(request, context, status=200):
    return render(
        request,
        "idp/cas/service_response.xml",
        context,
        content_type="application/xml; charset=utf-8",
        status=status,
    )


def cas_invalid_request(request):
    """A validation request with a NUL byte in it, answered as CAS XML (a 400): core's
    RequestHygieneMiddleware sends it here (settings.NUL_BYTES_ANSWERS) before any lookup."""
    return _cas_response(
        request,
        {"code": "INVALID_REQUEST", "message": "La demande contient un caractère nul."},
        status=400,
    )


def _validate(request, *, with_attributes):
    from idp.claims import claims_for

    service_url = request.GET.get("service", "")
    ticket = request.GET.get("ticket", "")
    if not service_url or not ticket:
        return _cas_response(
            request,
            {"code": "INVALID_REQUEST", "message": "Les paramètres service et ticket sont requis."},
        )
    user, service, refused = actions.do_validate_cas_ticket(
        ticket, service_url, renew=_flag(request.GET.get("renew"))
    )
    if refused:
        messages = {
            "INVALID_TICKET": "Ticket inconnu, déjà utilisé ou expiré.",
            "INVALID_SERVICE": "Ce ticket n'a pas été émis pour ce service.",
            "INVALID_TICKET_SPEC": (
                "Ce ticket vient de la session unique : avec renew, seul un ticket émis après "
                "la saisie du mot de passe est accepté."
            ),
        }
        return _cas_response(request, {"code": refused, "message": messages[refused]})
    attributes = claims_for(user, service, service.attributes) if with_attributes else {}
    return _cas_response(
        request, {"cas_user": user.username, "attributes": sorted(attributes.items())}
    )


@never_cache
@require_GET
def cas_service_validate(request):
    """CAS 2.0 validation: the identifier only."""
    return _validate(request, with_attributes=False)


@never_cache
@require_GET
def cas_p3_service_validate(request):
    """CAS 3.0 validation: the identifier and the attributes the service is registered for."""
    return _validate(request, with_attributes=True)


@never_cache
@require_http_methods(["GET", "POST"])
def cas_logout(request):
    """Sign out of the portal, and so of every service (single sign-out). A page with a button
    first: a link elsewhere must not be able to end a session."""
    service_url = request.GET.get("service") or request.POST.get("service") or ""
    service = cas_service_for(service_url)
    if request.method == "POST" and request.user.is_authenticated:
        logout(request)
    if request.method == "POST" or not request.user.is_authenticated:
        return render(
            request,
            "idp/logged_out.html",
            {"service": service, "url": service_url if service else None},
        )
    return render(request, "idp/cas_logout.html", {"service": service, "service_url": service_url})
