"""The portal's address as pupils type it, written once: letters, the projector and ``demo``
print it. Saves the classroom from letters that say « 127.0.0.1 » (settings.PUBLIC_URL)."""

from django.conf import settings


def public_url(request=None) -> str:
    """``PUBLIC_URL`` when set (``make classroom`` sets it), else the address the browser used,
    else the development server's. Always ends with one « / »."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + "/"
    if request is not None:
        return request.build_absolute_uri("/")
    return "http://127.0.0.1:8000/"
