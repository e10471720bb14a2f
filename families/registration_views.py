"""« Je n'ai pas de compte » for parents: self-registration by SMS to the mobile number given
to the school, as the académies recommend. Name and number → a 6-digit code by SMS → each
child confirmed by their birth date → a password and an e-mail address → « Votre compte est
créé ». Every screen answers the same whether the number is known or not."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from accounts.models import User
from accounts.validators import SPECIAL_CHARACTERS
from audit.models import Action
from families import limits
from families.actions import (
    RegistrationError,
    children_of,
    do_record_registration_event,
    do_register_parent,
    do_send_registration_code,
    find_registering_parent,
)
from families.forms import ChildBirthDateForm, CodeForm, ParentPasswordForm, RegistrationStartForm
from families.phones import masked
from families.registration import Registration, forget

DONE_KEY = "families_registered"
HOUR, DAY = 3600, 24 * 3600


def _ip(request):
    return get_adapter(request).get_client_ip(request)


def _over_limits(request, mobile) -> bool:
    """Count this SMS against the address and the number, before anything is sent. Counted
    the same for a known and an unknown number."""
    ip = _ip(request)
    over = (
        limits.hit("address", ip, window=HOUR) > settings.SMS_REGISTRATIONS_PER_ADDRESS_PER_HOUR
        or limits.hit("number", mobile, window=DAY) > settings.SMS_PER_NUMBER_PER_DAY
    )
    if over:
        do_record_registration_event(Action.SMS_REGISTRATION_LIMITED, parent_id=None, ip=ip)
    return over


LIMIT_MESSAGE = _lazy(
    "Trop de demandes de code pour ce numéro ou depuis cette connexion. Réessayez demain, ou "
    "adressez-vous au secrétariat de l'établissement."
)


def register_start(request):
    """Step 1: nom, prénom, téléphone portable."""
    form = RegistrationStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _over_limits(request, data["mobile"]):
            form.add_error("mobile", LIMIT_MESSAGE)
        else:
            parent = find_registering_parent(data["last_name"], data["first_name"], data["mobile"])
            registration = Registration.start(
                request, mobile=data["mobile"], parent_id=parent.pk if parent else None
            )
            do_send_registration_code(registration, parent=parent, ip=_ip(request))
            registration.save(request)
            return redirect("families:register_code")
    return render(request, "families/register_start.html", {"form": form, "step": 1})


def _restart(request, message):
    forget(request)
    messages.error(request, message)
    return redirect("families:register_start")


def register_code(request):
    """Step 2: the code received by SMS (3 tries, valid SMS_CODE_VALIDITY_SECONDS), or a new
    code (at most SMS_CODE_MAX_RESENDS)."""
    registration = Registration.load(request)
    if registration is None:
        return redirect("families:register_start")
    if registration.verified:
        return redirect("families:register_children")
    form = CodeForm(
        request.POST if request.method == "POST" and "resend" not in request.POST else None
    )
    if request.method == "POST" and "resend" in request.POST:
        if registration.resends >= settings.SMS_CODE_MAX_RESENDS:
            messages.error(
                request,
                _("Vous avez déjà demandé un nouveau code plusieurs fois : recommencez plus tard."),
            )
        elif _over_limits(request, registration.mobile):
            messages.error(request, LIMIT_MESSAGE)
        else:
            parent = User.objects.filter(pk=registration.parent_id).first()
            do_send_registration_code(registration, parent=parent, ip=_ip(request), resend=True)
            registration.save(request)
            messages.info(request, _("Un nouveau code a été demandé. L'ancien ne fonctionne plus."))
        return redirect("families:register_code")
    if request.method == "POST" and form.is_valid():
        tries = registration.count_try()
        if tries > settings.SMS_CODE_MAX_TRIES:
            return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
        if registration.code_expired():
            form.add_error(
                "code", _("Ce code a expiré : cliquez sur « Recevoir un nouveau code ».")
            )
        elif registration.code_matches(form.cleaned_data["code"]):
            registration.verified = True
            registration.save(request)
            do_record_registration_event(
                Action.SMS_CODE_CONFIRMED, parent_id=registration.parent_id, ip=_ip(request)
            )
            return redirect("families:register_children")
        else:
            do_record_registration_event(
                Action.SMS_CODE_FAILED, parent_id=registration.parent_id, ip=_ip(request)
            )
            left = settings.SMS_CODE_MAX_TRIES - tries
            if left <= 0:
                return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
            form.add_error(
                "code",
                ngettext(
                    "Ce code n'est pas le bon. Il vous reste %(left)d essai.",
                    "Ce code n'est pas le bon. Il vous reste %(left)d essais.",
                    left,
                )
                % {"left": left},
            )
    return render(
        request,
        "families/register_code.html",
        {
            "form": form,
            "step": 2,
            "masked_number": masked(registration.mobile),
            "minutes": settings.SMS_CODE_VALIDITY_SECONDS // 60,
            "can_resend": registration.resends < settings.SMS_CODE_MAX_RESENDS,
        },
    )


def _verified_parent(request):
    registration = Registration.load(request)
    if registration is None or not registration.verified or registration.parent_id is None:
        return None, None
    parent = User.objects.filter(pk=registration.parent_id, activated_at__isnull=True).first()
    return registration, parent


def register_children(request):
    """Step 3: each child confirmed by their birth date, one after the other."""
    registration, parent = _verified_parent(request)
    if parent is None:
        return redirect("families:register_start")
    waiting = children_of(parent).exclude(pk__in=registration.confirmed_children)
    child = waiting.first()
    if child is None:
        return redirect("families:register_password")
    form = ChildBirthDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["birth_date"] == child.birth_date:
            registration.confirmed_children.append(child.pk)
            registration.save(request)
            do_record_registration_event(
                Action.SMS_CHILD_CONFIRMED,
                parent_id=parent.pk,
                ip=_ip(request),
                child=child.username,
            )
            if waiting.exclude(pk=child.pk).exists():
                return redirect("families:register_children")
            return redirect("families:register_password")
        registration.child_failures += 1
        registration.save(request)
        do_record_registration_event(
            Action.SMS_CHILD_REFUSED, parent_id=parent.pk, ip=_ip(request), child=child.username
        )
        if registration.child_failures >= settings.SMS_CODE_MAX_TRIES:
            return _restart(
                request,
                _(
                    "Trop de dates de naissance erronées : l'inscription est arrêtée. "
                    "Adressez-vous au secrétariat de l'établissement."
                ),
            )
        form.add_error(
            None,
            _(
                "Cette date de naissance ne correspond pas à celle que connaît l'établissement. "
                "Vérifiez le jour, le mois et l'année."
            ),
        )
    establishments = [
        e.establishment.name
        for e in child.enrolments.filter(left_at__isnull=True).select_related("establishment")
    ]
    return render(
        request,
        "families/register_children.html",
        {
            "form": form,
            "step": 3,
            "child": child,
            "establishments": establishments,
            "confirmed": len(registration.confirmed_children),
            "total": len(registration.confirmed_children) + waiting.count(),
        },
    )


@sensitive_post_parameters("password1", "password2")
def register_password(request):
    """Step 4: a password under the same rule as the pupils', and an e-mail address."""
    registration, parent = _verified_parent(request)
    if parent is None:
        return redirect("families:register_start")
    if children_of(parent).exclude(pk__in=registration.confirmed_children).exists():
        return redirect("families:register_children")
    form = ParentPasswordForm(request.POST if request.method == "POST" else None, user=parent)
    if request.method == "POST" and form.is_valid():
        try:
            do_register_parent(
                parent,
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                children=registration.confirmed_children,
                ip=_ip(request),
                request=request,
            )
        except RegistrationError as exc:
            return _restart(request, str(exc))
        forget(request)
        request.session[DONE_KEY] = parent.username
        return redirect("families:register_done")
    return render(
        request,
        "families/register_password.html",
        {
            "form": form,
            "step": 4,
            "identifier": parent.username,
            "special_characters": SPECIAL_CHARACTERS,
        },
    )


def register_done(request):
    """« Votre compte est créé », with the identifier to keep."""
    # Shown once: the next person at a shared computer does not see it.
    identifier = request.session.pop(DONE_KEY, None)
    if not identifier:
        return redirect("families:register_start")
    return render(
        request,
        "families/register_done.html",
        {"identifier": identifier, "login_url": reverse("account_login")},
    )
