"""Saves probes a page: /sante/ asks database and cache, /sante/vivant/ nothing; no time claimed.

For load balancers and probes; /sante/vivant/ is also the benchmark's trivial view."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    key, value = "health-check", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    return cache.get(key) == value


@never_cache
def alive(request):
    """Liveness: the process answers (no dependency checked). Also the benchmark's trivial view."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def health(request):
    checks = {}
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            checks[name] = "ok" if check() else "error"
        except Exception:  # any failure of a dependency is a failed check, not a 500
            logger.exception("Health check %s failed", name)
            checks[name] = "error"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
