"""« Mes classes »: a teacher's classes, real and practice, their séance, letters, help and
reset, outside the Django admin. Who may see what is schools/rules.py's (``classes_taught_by``,
``pupils_taught_by``), applied at every view: anything else is a 404."""

from functools import wraps

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actions import do_delete_practice_class, do_unlock_account
from accounts.mfa import teacher_needs_second_factor
from classroom.actions import do_create_practice_class
from classroom.forms import PracticeClassForm
from core.collation import name_key
from core.french import unbreakable
from core.site import public_url
from schools.models import Role
from schools.rules import classes_taught_by, pupils_taught_by, teaching_establishments
from staff import session
from staff.jobs import start_class_reset, start_letters
from staff.live import live
from staff.live import projection as projection_page
from staff.report import seance_csv

# How long a shown « Créer une classe d'entraînement » form stays usable once.
FORM_SECONDS = 24 * 3600


def teacher_only(view):
    """Signed in, a teacher currently teaching somewhere (else 404), with a TOTP key when the
    rule asks for one (accounts/mfa.py, ``teacher_needs_second_factor``). Signed out, the
    teacher is sent to the staff's sign-in page, not to the pupils' with its hints of a letter."""

    @login_required(login_url="accounts:staff_login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not teaching_establishments(request.user).exists():
            raise Http404
        if teacher_needs_second_factor(request.user) and not is_mfa_enabled(
            request.user, [Authenticator.Type.TOTP]
        ):
            messages.warning(
                request,
                _(
                    "Vous suivez une classe réelle : avant d'ouvrir « Mes "
                    "classes », activez la "
                    "double authentification. Scannez le QR code avec une application (FreeOTP, "
                    "Aegis, Google Authenticator…) puis saisissez le code qu'elle affiche."
                ),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def _class_of(request, pk):
    return get_object_or_404(classes_taught_by(request.user), pk=pk)


def _ip(request):
    return get_adapter(request).get_client_ip(request)


def _context(request, school_class):
    """The séance of one class, with only the pupils in this teacher's hands."""
    since = session.started_at(school_class)
    allowed = set(pupils_taught_by(request.user, school_class).values_list("pk", flat=True))
    cards = [card for card in session.cards(school_class, since=since) if card.user.pk in allowed]
    return {
        "school_class": school_class,
        "since": since,
        "cards": cards,
        # For the projector: by first name, alphabetical as a French list (Élise with the E).
        "by_first_name": sorted(cards, key=lambda c: name_key(c.user.first_name, c.user.last_name)),
        "bars": session.bars(cards),
        "stuck": [card for card in cards if card.stuck],
        "reached_pronote": sum(1 for card in cards if card.step == "pronote"),
        "refresh_seconds": settings.SEANCE_REFRESH_SECONDS,
        "address": public_url(request),
    }


def _pupils(context):
    return [card.user for card in context["cards"]]


@teacher_only
def my_classes(request):
    """« Mes classes »: real and practice classes, the address pupils type."""
    return render(
        request,
        "classroom/classes.html",
        {
            "classes": classes_taught_by(request.user)
            .annotate(
                pupils=Count(
                    "enrolments",
                    filter=Q(enrolments__left_at__isnull=True, enrolments__role=Role.PUPIL),
                    distinct=True,
                )
            )
            .order_by("practice", "division"),
            "address": public_url(request),
        },
    )


@teacher_only
def create_practice_class(request):
    """« Créer une classe d'entraînement »: invented pupils, the teacher follows the class."""
    establishments = teaching_establishments(request.user).order_by("name")
    form = PracticeClassForm(
        request.POST if request.method == "POST" else None, establishments=establishments
    )
    if request.method == "POST" and form.is_valid():
        # One class per form shown: a double click or a resubmission makes none more.
        if not cache.add(f"classroom:form:{form.cleaned_data['token']}", True, FORM_SECONDS):
            messages.info(request, _("Cette classe est déjà créée : la voici dans vos classes."))
            return redirect("classroom:classes")
        try:
            school_class, issued = do_create_practice_class(
                form.cleaned_data["establishment"],
                form.cleaned_data["count"],
                teacher=request.user,
                actor=request.user,
                ip=_ip(request),
            )
        except ValidationError as exc:
            form.add_error("count", exc)
        else:
            messages.success(
                request,
                _(
                    "Classe « %(division)s » créée : %(count)d élèves inventés. "
                    "Imprimez "
                    "maintenant leurs courriers."
                )
                % {"division": unbreakable(school_class.division), "count": len(issued)},
            )
            return redirect("classroom:seance", pk=school_class.pk)
    return render(
        request,
        "classroom/create.html",
        {"form": form, "days": settings.PRACTICE_CLASS_DAYS},
    )


@teacher_only
def seance(request, pk):
    """The séance of one class: bars, one card per pupil, help in one click."""
    school_class = _class_of(request, pk)
    return render(request, "classroom/seance.html", _context(request, school_class))


@teacher_only
def seance_live(request, pk):
    """The live part of the séance, asked again every few seconds by js/seance.js; 304 Not
    Modified while no pupil of the class moved (staff/live.py)."""
    school_class = _class_of(request, pk)
    return live(
        request,
        school_class,
        lambda: render(request, "classroom/_live.html", _context(request, school_class)),
        can_help=True,
    )


@teacher_only
def projection(request, pk):
    """For the projector: first names and bars, nothing to embarrass anyone; 304 while no
    pupil moved, as the live part (staff/live.py)."""
    school_class = _class_of(request, pk)
    return projection_page(
        request,
        school_class,
        lambda: _context(request, school_class),
        live_url=reverse("classroom:projection", args=[school_class.pk]),
        back_url=reverse("classroom:seance", args=[school_class.pk]),
    )


@teacher_only
def report(request, pk):
    """The end-of-lesson report, as a CSV (staff/report.py)."""
    school_class = _class_of(request, pk)
    context = _context(request, school_class)
    return seance_csv(school_class, context["cards"], context["since"])


@teacher_only
def letters(request, pk):
    """« Imprimer les courriers »: the same letters again for a practice class; new ones (the
    old ones stop working) for a real class, after a confirmation."""
    school_class = _class_of(request, pk)
    context = _context(request, school_class)
    back = reverse("classroom:seance", args=[school_class.pk])
    if request.method == "POST" and request.POST.get("confirm") == "yes" and context["cards"]:
        return start_letters(request, _pupils(context), school_class=school_class, back_url=back)
    return render(request, "classroom/letters_confirm.html", context)


@teacher_only
def reset(request, pk):
    """« Réinitialiser pour le groupe suivant »: a confirmation naming the class and its count,
    then the reset and the letters (staff/jobs.py)."""
    school_class = _class_of(request, pk)
    context = _context(request, school_class)
    back = reverse("classroom:seance", args=[school_class.pk])
    if request.method == "POST" and request.POST.get("confirm") == "yes" and context["cards"]:
        return start_class_reset(request, school_class, _pupils(context), back_url=back)
    return render(request, "classroom/reset_confirm.html", context)


@teacher_only
def delete(request, pk):
    """« Supprimer la classe d'entraînement »: a practice class only, after a confirmation."""
    school_class = _class_of(request, pk)
    if not school_class.practice:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        division = unbreakable(school_class.division)
        do_delete_practice_class(school_class, actor=request.user, ip=_ip(request))
        messages.success(request, _("Classe « %(division)s » supprimée.") % {"division": division})
        return redirect("classroom:classes")
    return render(request, "classroom/delete_confirm.html", _context(request, school_class))


@teacher_only
@require_POST
def help_pupil(request, pk, user_pk):
    """Help in one click: unlock, or the pupil's letter again (the same one for an invented
    pupil, a new one for a real pupil)."""
    school_class = _class_of(request, pk)
    pupil = get_object_or_404(pupils_taught_by(request.user, school_class), pk=user_pk)
    back = reverse("classroom:seance", args=[school_class.pk])
    what = request.POST.get("aide")
    if what == "debloquer":
        do_unlock_account(pupil, actor=request.user, ip=_ip(request))
        messages.success(
            request, _("%(name)s : compte débloqué.") % {"name": pupil.get_full_name()}
        )
    elif what == "courrier":
        # Re-issued, even the same letter: it lifts a blocked or expired letter.
        return start_letters(
            request, [pupil], school_class=school_class, back_url=back, reissue=True
        )
    return redirect(back)
