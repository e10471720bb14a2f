"""The doors of the services (OIDC authorization, CAS login): the checks every door makes, in
one place. A provisional account never reaches them (the activation login stage comes first)."""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from charter.rules import needs_acceptance
from idp.rules import offered_to

DETOUR = "idp_detour"


class Found(HttpResponse):
    """A redirect to a service: any registered scheme (HttpResponseRedirect checks schemes)."""

    status_code = 302

    def __init__(self, url):
        super().__init__()
        self["Location"] = url


def client_ip(request):
    return get_adapter().get_client_ip(request)


def refusal_reason(user, service):
    """Why ``user`` may not enter ``service`` now: None, "provisional", "not_offered" or
    "charter"."""
    if getattr(user, "is_provisional", False):
        # Credentials re-issued while signed in: the letter's activation comes first again.
        return "provisional"
    if service is None or not offered_to(user, service):
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
