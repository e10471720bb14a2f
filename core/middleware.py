"""Response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A private page (grades, identity, the admin) is never kept by a browser or a
            # proxy: the next pupil on a shared computer must not find it with « Back ».
            add_never_cache_headers(response)
        return response


class RequestSizeMiddleware:
    """Refuses a request body larger than its sender may send, from its Content-Length, before
    anything reads it (Django would otherwise spool a large upload to disk, or to memory).

    Anonymous visitors and pupils only ever post small forms; staff may upload a CSV of pupils
    (``MAX_STAFF_UPLOAD_BYTES``, plus room for the form around it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.META.get("QUERY_STRING") and any(
            "\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()
        ):
            # No database stores a NUL byte (PostgreSQL refuses it): a clear 400, never a 500.
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        if length > settings.MAX_FORM_BYTES:
            # Only then is it worth knowing who sends it (a session and a user to load).
            user = getattr(request, "user", None)
            staff = user is not None and user.is_authenticated and user.is_staff
            if not staff or length > settings.MAX_STAFF_UPLOAD_BYTES + 64 * 1024:
                from django.shortcuts import render

                return render(
                    request,
                    "413.html",
                    {"limit_kb": settings.MAX_FORM_BYTES // 1024, "staff": staff},
                    status=413,
                )
        return self.get_response(request)
