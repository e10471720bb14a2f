"""The séance's live parts (the teacher's page, the admin's, the projector) answered 304 Not
Modified while no pupil of the class moved, written once.

Two doors to the same 304:

- the full way (``live``): the view's own checks (session, user, staff rights, second factor,
  access to the class), then the class's change stamp (staff/session.py);
- the short way (``NotModifiedMiddleware``, near the top of the middleware): a poll whose
  address carries a valid poll token and whose If-None-Match is still the class's stamp is
  answered 304 before the session and the user are loaded. The token is signed (its own salt),
  lives ``TOKEN_SECONDS``, and is bound to the address, the class, the viewer (who, their right
  to help, their language: what the stamp is computed for) and a digest of the browser's session
  cookie; each answer of the full way hands out a fresh one (header ``X-Live-Url``). Anything
  else — no token, a forged, expired or other class's one, another session's cookie, a changed
  stamp — goes the full way with every check.

What the short way can reveal: « nothing changed since your last full answer », nothing else (a
304 has no body). A teacher taken off the class, or signed out, keeps getting that much for at
most the token's life; the first change sends the poll the full way, where the door is shut.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpResponseNotModified
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import get_language

from core.site import public_url
from staff import session

SALT = "staff.live.poll-token"
TOKEN_SECONDS = 10 * 60
PARAM = "jeton"
NEXT_URL_HEADER = "X-Live-Url"


def _session_digest(request):
    """A short digest of the session cookie the browser sent (never the key itself: the token
    is readable in the address)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest() if key else ""


def poll_url(request, school_class, viewer):
    """This live part's address with a fresh poll token for this viewer and class."""
    token = signing.dumps(
        {"p": request.path, "c": school_class.pk, "v": list(viewer), "s": _session_digest(request)},
        salt=SALT,
    )
    return f"{request.path}?{urlencode({PARAM: token})}"


def _not_modified(request, etag):
    conditional = get_conditional_response(request, etag=etag)
    if conditional is None or conditional.status_code != 304:
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def live(request, school_class, render, *, can_help):
    """``render()`` (the fresh part) with its ETag, or a bare 304 when the browser's copy is
    still true; either way the address of the next poll, with a fresh token. ``can_help``:
    whether the viewer's page shows help buttons (part of the stamp, with who asks, their
    language and the address: two viewers, or the live part and the projector, never share
    one)."""
    viewer = (request.user.pk, can_help, get_language(), request.path)
    etag = quote_etag(session.change_stamp(school_class, viewer=viewer))
    response = _not_modified(request, etag)
    if response is None:
        response = render()
        response["ETag"] = etag
    response[NEXT_URL_HEADER] = poll_url(request, school_class, viewer)
    return response


def short_way(request):
    """The 304 of a poll carrying a valid token and the class's current stamp; None otherwise
    (the request then goes the full way)."""
    try:
        claims = signing.loads(request.GET[PARAM], salt=SALT, max_age=TOKEN_SECONDS)
        path, class_pk, viewer, digest = claims["p"], claims["c"], claims["v"], claims["s"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if path != request.path or not digest or digest != _session_digest(request):
        return None
    if not isinstance(class_pk, int) or not isinstance(viewer, list):
        return None
    etag = quote_etag(session.change_stamp(class_pk, viewer=tuple(viewer)))
    response = _not_modified(request, etag)
    if response is not None:
        add_never_cache_headers(response)  # as the full way's private page
    return response


class NotModifiedMiddleware:
    """The short way to a live part's 304 (see above); every other request passes untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and "HTTP_IF_NONE_MATCH" in request.META
            and PARAM + "=" in request.META.get("QUERY_STRING", "")
        ):
            response = short_way(request)
            if response is not None:
                return response
        return self.get_response(request)


def projection(request, school_class, context, *, live_url, back_url):
    """The projector's page (templates/staff/projection.html), for the admin's séance and the
    teacher's: the class's ``context``, the room's address, where it polls and where it goes
    back; 304 while no pupil moved."""
    return live(
        request,
        school_class,
        lambda: TemplateResponse(
            request,
            "staff/projection.html",
            {
                **context(),
                "room_url": public_url(request),
                "live_url": live_url,
                "back_url": back_url,
                # ``?pause=1``: without JavaScript, the page stops reloading itself (RGAA 13.1).
                "paused": bool(request.GET.get("pause")),
            },
        ),
        can_help=False,
    )
