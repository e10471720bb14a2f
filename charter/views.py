from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from charter.actions import do_accept_charter, do_refuse_charter
from charter.forms import AcceptanceForm
from charter.models import Charter
from charter.rules import needs_acceptance

DEFAULT_NEXT = "portal:ent_home"


def _safe_next(request):
    """A path of this site (« /pronote/… »), or None: never another host, never a scheme."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def accept(request):
    charter = Charter.objects.current()
    if charter is None or not needs_acceptance(request.user, charter):
        return HttpResponseRedirect(_safe_next(request) or reverse(DEFAULT_NEXT))
    form = AcceptanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        do_accept_charter(
            request.user,
            charter,
            ip=get_adapter(request).get_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        messages.success(request, _("Merci : la charte d'utilisation de l'ENT est validée."))
        return HttpResponseRedirect(_safe_next(request) or reverse(DEFAULT_NEXT))
    already_accepted_one = request.user.charter_acceptances.exists()
    return render(
        request,
        "charter/accept.html",
        {
            "charter": charter,
            "form": form,
            "next": _safe_next(request) or "",
            "new_version": already_accepted_one,
        },
    )


@require_POST
@login_required
def refuse(request):
    do_refuse_charter(
        request.user,
        Charter.objects.current(),
        ip=get_adapter(request).get_client_ip(request),
    )
    logout(request)
    messages.warning(
        request,
        _(
            "Vous avez refusé la charte d'utilisation de l'ENT : la session est fermée. "
            "L'ENT et PRONOTE ne sont accessibles qu'après l'avoir acceptée. Vous pourrez la "
            "relire et l'accepter à votre prochaine connexion."
        ),
    )
    return redirect("account_login")


def read(request, version):
    """Any published version, readable by anyone (the charter is public, art. 8)."""
    charter = get_object_or_404(Charter.objects.published(), version=version)
    return render(request, "charter/read.html", {"charter": charter})
