"""Saves a 500 on a NUL byte and a spooled upload; hygiene: no time claimed, none measured.

What a request may carry, refused before anything reads it; the response headers that Django's
SecurityMiddleware does not set."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string


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


class RequestHygieneMiddleware:
    """Refuses, before any view:

    - a NUL byte in the address or its query: no database stores one (PostgreSQL refuses it),
      so a clear 400 rather than a 500 deep in a lookup. At the addresses of
      ``NUL_BYTES_IN_FORMS_PATHS`` (the identity provider's, whose lookups take what a client
      sends) the form is read too. The answer is the French 400 page with the simulation notice,
      or, at an address of ``NUL_BYTES_ANSWERS``, that view's answer (CAS XML for a CAS client);
    - a body larger than its sender may send, from its Content-Length, before anything reads it
      (Django would otherwise spool a large upload to disk, or to memory). Anonymous visitors
      and pupils only ever post small forms; staff may upload a CSV of pupils
      (``MAX_STAFF_UPLOAD_BYTES``, plus room for the form around it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.forms_paths = tuple(settings.NUL_BYTES_IN_FORMS_PATHS)
        self.answers = [
            (prefix, import_string(view)) for prefix, view in settings.NUL_BYTES_ANSWERS.items()
        ]

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return self.bad_request(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_FORM_BYTES:
            # Only then is it worth knowing who sends it (a session and a user to load).
            user = getattr(request, "user", None)
            staff = user is not None and user.is_authenticated and user.is_staff
            if not staff or length > settings.MAX_STAFF_UPLOAD_BYTES + 64 * 1024:
                return render(
                    request,
                    "413.html",
                    {"limit_kb": settings.MAX_FORM_BYTES // 1024, "staff": staff},
                    status=413,
                )
        if (
            request.method == "POST"
            and request.path.startswith(self.forms_paths)
            and any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
        ):
            return self.bad_request(request)
        return self.get_response(request)

    def bad_request(self, request):
        for prefix, view in self.answers:
            if request.path.startswith(prefix):
                return view(request)
        return render(request, "400.html", status=400)  # French, with the notice
