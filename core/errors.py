"""The server's error page: « service momentanément indisponible » (503) when the database or
the shared cache (Redis) does not answer, « erreur du site » (500) otherwise; never a traceback.

Django calls ``server_error`` (the root URLconf's ``handler500``) inside the ``except`` of the
request that failed, in whatever layer it failed (a view, the session saved on the way out, the
lockout's counters): the failure is read from ``sys.exc_info()``. A database restarted under a
running instance is one request's 503 at most per connection: the next request opens a new
connection (``CONN_HEALTH_CHECKS``, ent_portal/settings.py).
"""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# How long a person is asked to wait before trying again (seconds): a restart's length.
RETRY_AFTER_SECONDS = 10


def _unavailable_errors():
    errors = [OperationalError, InterfaceError]
    try:
        import redis

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(errors)


UNAVAILABLE = _unavailable_errors()


def is_unavailable(exc) -> bool:
    """The database or the cache did not answer (a restart, a network cut), as opposed to a
    bug: the exception itself or one it was raised from."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, UNAVAILABLE):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _render(request, template_name, status):
    """The page, without touching the session, the user or the messages (each may live in the
    service that just failed); the shortest French page if even that fails."""
    request.user = AnonymousUser()
    try:
        return loader.render_to_string(template_name, {"messages": []}, request=request)
    except Exception:
        logger.exception("The %s page could not be rendered", status)
        title = _("Service momentanément indisponible") if status == 503 else _("Erreur du site")
        return f'<!doctype html><html lang="fr"><title>{title}</title><h1>{title}</h1></html>'


def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        logger.warning("Service unavailable: %s: %s", type(exc).__name__, exc)
        response = HttpResponse(_render(request, "503.html", 503), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(_render(request, template_name, 500))
