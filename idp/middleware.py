from django.shortcuts import render

# The provider's addresses, allauth's included (its token endpoint looks the client up as sent).
PREFIXES = ("/identity/", "/cas/", "/fournisseur/", "/.well-known/")


class RejectNulBytesMiddleware:
    """A NUL byte in a parameter of the provider's addresses is a 400 here, not a 500 from
    PostgreSQL (« text fields cannot contain NUL ») deep in a client or ticket lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PREFIXES) and _has_nul(request):
            return render(request, "400.html", status=400)  # French, with the notice
        return self.get_response(request)


def _has_nul(request):
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
        return True
    if request.method == "POST":
        return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
    return False
