import jwt
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def home(request):
    account = None
    claims = {}
    method = None
    if request.user.is_authenticated:
        account = SocialAccount.objects.filter(user=request.user, provider="ent").first()
        if account is not None:
            method = "OpenID Connect"
            claims = dict(account.extra_data.get("userinfo") or {})
            claims.update(account.extra_data.get("id_token") or {})
        if "attributes" in request.session:
            method = "CAS"
            claims = {"user": request.user.username, **request.session["attributes"]}
    return render(
        request,
        "school_service/home.html",
        {
            "name": settings.NAME,
            "portal": settings.PORTAL_URL,
            "oidc": bool(settings.OIDC_CLIENT_ID),
            "cas": settings.CAS_ENABLED,
            "method": method,
            "claims": sorted(claims.items()),
        },
    )


@require_POST
def sign_out(request):
    """Here only; the portal session stays (the portal's own sign-out ends both)."""
    logout(request)
    return redirect("home")


@csrf_exempt
@require_POST
def backchannel_logout(request):
    """OpenID Connect Back-Channel Logout: the portal says a person signed out; their sessions
    here end. The logout_token is checked against the portal's published keys."""
    token = request.POST.get("logout_token", "")
    try:
        key = jwt.PyJWKClient(
            f"{settings.PORTAL_URL}/.well-known/jwks.json"
        ).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key=key,
            algorithms=["RS256"],
            audience=settings.OIDC_CLIENT_ID,
            issuer=settings.PORTAL_URL,
        )
    except jwt.PyJWTError:
        return HttpResponseBadRequest("logout_token invalide")
    if BACKCHANNEL_EVENT not in claims.get("events", {}) or "nonce" in claims:
        return HttpResponseBadRequest("logout_token invalide")
    account = SocialAccount.objects.filter(provider="ent", uid=claims.get("sub")).first()
    if account is not None:
        for session in Session.objects.all():
            if session.get_decoded().get("_auth_user_id") == str(account.user_id):
                session.delete()
    return HttpResponse("ok")
