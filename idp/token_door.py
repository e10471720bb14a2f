"""The token endpoint, behind the door. Every refresh keeps the `openid` scope, so that it issues
an ID token and so passes the door (idp/adapter.py, ``get_claims``): a refresh asking for less
would get a new access token and a new refresh token without the door being asked. allauth's
view does everything else (idp/views.py ``token`` asks this first)."""

from django.http import JsonResponse


def refusal(request):
    """The answer to a refresh that drops `openid`, or None."""
    if request.method == "POST" and request.POST.get("grant_type") == "refresh_token":
        scope = request.POST.get("scope")
        if scope is not None and "openid" not in scope.split():
            return JsonResponse(
                {
                    "error": "invalid_scope",
                    "error_description": "a refresh keeps the openid scope",
                },
                status=400,
            )
    return None
