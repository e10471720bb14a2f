"""The doors of the services (OIDC authorization, CAS login): the checks every door makes, in
one place. A provisional account never reaches them (the activation login stage comes first)."""

import time
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.core.internal.httpkit import add_query_params
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from charter.rules import needs_acceptance
from idp.rules import UNREAD, offered_to

DETOUR = "idp_detour"
# When the person of this session last gave her password (set at each sign-in by
# idp/signals.py; allauth's records add each re-authentication), in seconds since the epoch.
SIGNED_IN_AT = "idp_signed_in_at"
# A CAS « renew » under way: the door and the time the password was asked again at.
RENEWING = "idp_renewing"


class Found(HttpResponse):
    """A redirect to a service: any registered scheme (HttpResponseRedirect checks schemes)."""

    status_code = 302

    def __init__(self, url):
        super().__init__()
        self["Location"] = url


def client_ip(request):
    return get_adapter().get_client_ip(request)


def refusal_reason(user, service, *, enrolment=UNREAD):
    """Why ``user`` may not enter ``service`` now: None, "provisional", "not_offered" or
    "charter". ``enrolment``: already read by ``enrolment_for`` (idp/rules.py)."""
    if getattr(user, "is_provisional", False):
        # Credentials re-issued while signed in: the letter's activation comes first again.
        return "provisional"
    if service is None or not offered_to(user, service, enrolment=enrolment):
        return "not_offered"
    if needs_acceptance(user):
        return "charter"
    return None


def sign_in_again(request, next_url):
    """Ends the session, then the sign-in (and its activation stage) and back to the door."""
    logout(request)
    return detour(request, "account_login", next_url)


def detour(request, url_name, next_url):
    """To the sign-in or the charter, then back to the door: remembered, so that the door's
    answer after that form ends the chain of redirects (see continue_to)."""
    request.session[DETOUR] = True
    return Found(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def continue_to(request, url, service):
    """Back to the service. After a form (sign-in, activation, charter), a page with a link and
    an immediate refresh instead of a redirect: the Content-Security-Policy's form-action 'self'
    forbids a form's chain of redirects from ending on another site."""
    if request.session.pop(DETOUR, False) or request.method == "POST":
        return render(request, "idp/continue.html", {"url": url, "service": service})
    return Found(url)


def auth_time(request):
    """When the person signed in, or last gave her password again: seconds since the epoch
    (a float), or None when the session does not know."""
    times = [request.session.get(SIGNED_IN_AT)]
    times += [r.get("at") for r in get_authentication_records(request, request.user)]
    times = [t for t in times if isinstance(t, (int, float))]
    return max(times) if times else None


def older_than(request, max_age):
    """Whether the sign-in is older than ``max_age`` seconds (OIDC max_age), or unknown."""
    signed_in = auth_time(request)
    return signed_in is None or time.time() - signed_in > max_age


def reauthenticate(request, next_url):
    """The password asked again (allauth's « Confirmer l'accès », counted by the same lockout
    as a sign-in), then back to the door, whose answer is then the « Retour vers le service »
    page: the CSP's form-action 'self' would block a redirect after that form."""
    methods = get_adapter().get_reauthentication_methods(request.user)
    if not methods:
        return sign_in_again(request, next_url)
    request.session[DETOUR] = True
    return Found(add_query_params(methods[0]["url"], {"next": next_url}))


def granted_auth_time():
    """At the token endpoint: the `auth_time` kept with the code being exchanged, or with the
    refresh token being used (idp/views.py keeps it with the next refresh token)."""
    from allauth.idp.oidc.internal.oauthlib.utils import get_validator_context

    ctx = get_validator_context()
    tokens = [*ctx.code_tokens.values(), ctx.refresh_token]
    for token in tokens:
        data = getattr(token, "data", None)
        if isinstance(data, dict) and isinstance(data.get("auth_time"), int):
            ctx.portal_auth_time = data["auth_time"]
            return data["auth_time"]
    return None
