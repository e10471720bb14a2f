from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms import ProfileChoiceForm
from portal.profiles import EDUCONNECT_PROFILES, OTHER_PROFILES, PROFILES
from portal.services import NOT_SIMULATED
from schools.current import current_enrolment, current_enrolments, set_current_establishment


def landing(request):
    """Step 0: the ENT's public page."""
    return render(request, "portal/landing.html")


def profile_choice(request):
    """Step 1: « Vous souhaitez vous connecter à votre ENT en tant que : »."""
    submitted = "valider" in request.GET
    form = ProfileChoiceForm(request.GET if submitted else None)
    if submitted and form.is_valid():
        profile = form.cleaned_data["profil"]
        if profile in EDUCONNECT_PROFILES:
            return redirect("account_login")
        return redirect("portal:profile_info", profile=profile)
    return render(request, "portal/profile_choice.html", {"form": form})


def profile_info(request, profile):
    if profile not in OTHER_PROFILES:
        raise Http404
    return render(
        request,
        "portal/profile_info.html",
        {
            "profile": PROFILES[profile],
            "explanation": OTHER_PROFILES[profile],
            "teacher": profile == "enseignant",
            # Teachers and staff have their own sign-in page (templates/account/login_staff.html).
            "staff": profile in {"enseignant", "personnel"},
        },
    )


@login_required
def services(request):
    """Step 5: « Scolarité services »."""
    return render(request, "portal/services.html", {"enrolment": current_enrolment(request)})


@login_required
def not_simulated(request, slug):
    if slug not in NOT_SIMULATED:
        raise Http404
    title, explanation = NOT_SIMULATED[slug]
    return render(
        request, "portal/not_simulated.html", {"title": title, "explanation": explanation}
    )


@login_required
def contact(request):
    return render(request, "portal/contact.html", {"enrolment": current_enrolment(request)})


@login_required
def ent_home(request):
    """Step 7: « Bienvenue sur l'Espace Numérique de Travail » (behind the charter gate)."""
    enrolments = current_enrolments(request.user)
    return render(
        request,
        "portal/ent_home.html",
        {"enrolments": enrolments, "enrolment": current_enrolment(request, enrolments)},
    )


@require_POST
@login_required
def switch_portal(request):
    """« Mes portails »: look at another of one's establishments."""
    try:
        establishment_id = int(request.POST.get("establishment", ""))
    except ValueError:
        establishment_id = None
    if establishment_id is None or not set_current_establishment(request, establishment_id):
        messages.error(request, _("Cet établissement ne fait pas partie de vos portails."))
    return redirect("portal:ent_home")
