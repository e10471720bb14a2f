from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from charter.rules import needs_acceptance


class CharterGateMiddleware:
    """In front of the ENT and PRONOTE URL spaces (settings.CHARTER_GATED_PATHS): a user who has
    not accepted the charter in force is taken to it, then brought back where they were going.
    Checked at every request, so a charter published during a session is asked for at once."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.CHARTER_GATED_PATHS)

    def __call__(self, request):
        if request.path.startswith(self.prefixes) and needs_acceptance(request.user):
            target = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{reverse('charter:accept')}?{urlencode({'next': target})}")
        return self.get_response(request)
