"""« Je n'ai pas de compte » for parents, step by step: name and mobile number → a 6-digit
code by SMS → each child confirmed by their birth date → a password and an e-mail address →
« Votre compte est créé ». Each step answers the same whether the number is known or not.

The state of one registration is families.registration.Registration (the shared cache, under a
token in the session); the state changes are families.actions'. Each function returns an
``Outcome`` that the views (families/registration_views.py) follow."""

from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from accounts.models import User
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
from families.registration import Registration, forget

START = "families:register_start"
CODE = "families:register_code"
CHILDREN = "families:register_children"
CHOOSE_PASSWORD = "families:register_password"  # noqa: S105 - a URL name
DONE = "families:register_done"

# The identifier to show on « Votre compte est créé », once, in the session.
DONE_KEY = "families_registered"
HOUR, DAY = 3600, 24 * 3600

LIMIT_MESSAGE = _lazy(
    "Trop de demandes de code pour ce numéro ou depuis cette connexion. Réessayez demain, ou "
    "adressez-vous au secrétariat de l'établissement."
)


@dataclass(frozen=True)
class Outcome:
    """What the view does next: go to the step ``next`` (a URL name), saying ``message`` there
    at ``level``; or show the page again, with ``error`` on the form (under ``field``, or
    above the form when None)."""

    next: str = ""
    message: str = ""
    level: int = messages.ERROR
    error: str = ""
    field: str | None = None


AGAIN = Outcome()


def _ip(request):
    return get_adapter(request).get_client_ip(request)


def _restart(request, message) -> Outcome:
    """The registration ends: forgotten, and back to the first step with ``message``."""
    forget(request)
    return Outcome(next=START, message=str(message))


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


# --- Step 1: nom, prénom, téléphone portable ----------------------------------------------


def start(request, *, last_name, first_name, mobile) -> Outcome:
    """A new registration, and a code sent to the number if the school knows it with these
    names (within the limits); on to the code either way."""
    if _over_limits(request, mobile):
        return Outcome(error=str(LIMIT_MESSAGE), field="mobile")
    parent = find_registering_parent(last_name, first_name, mobile)
    registration = Registration.start(
        request, mobile=mobile, parent_id=parent.pk if parent else None
    )
    do_send_registration_code(registration, parent=parent, ip=_ip(request))
    registration.save(request)
    return Outcome(next=CODE)


# --- Step 2: the code received by SMS -----------------------------------------------------


def code_step(request) -> tuple[Registration | None, Outcome]:
    """The registration waiting for its code, or where to go instead: the start without one,
    the children once the code is confirmed."""
    registration = Registration.load(request)
    if registration is None:
        return None, Outcome(next=START)
    if registration.verified:
        return None, Outcome(next=CHILDREN)
    return registration, AGAIN


def send_new_code(request, registration) -> Outcome:
    """« Recevoir un nouveau code »: at most SMS_CODE_MAX_RESENDS, within the limits; the old
    code stops working."""
    if registration.resends >= settings.SMS_CODE_MAX_RESENDS:
        return Outcome(
            next=CODE,
            message=_(
                "Vous avez déjà demandé un nouveau code plusieurs fois : recommencez plus tard."
            ),
        )
    if _over_limits(request, registration.mobile):
        return Outcome(next=CODE, message=str(LIMIT_MESSAGE))
    parent = User.objects.filter(pk=registration.parent_id).first()
    do_send_registration_code(registration, parent=parent, ip=_ip(request), resend=True)
    registration.save(request)
    return Outcome(
        next=CODE,
        message=_("Un nouveau code a été demandé. L'ancien ne fonctionne plus."),
        level=messages.INFO,
    )


def check_code(request, registration, code) -> Outcome:
    """A code typed: counted before it is checked (SMS_CODE_MAX_TRIES, then the registration
    ends), refused once expired (SMS_CODE_VALIDITY_SECONDS); right, on to the children.
    Audited, right or wrong."""
    tries = registration.count_try()
    if tries > settings.SMS_CODE_MAX_TRIES:
        return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
    if registration.code_expired():
        return Outcome(
            error=_("Ce code a expiré : cliquez sur « Recevoir un nouveau code »."), field="code"
        )
    if registration.code_matches(code):
        registration.verified = True
        registration.save(request)
        do_record_registration_event(
            Action.SMS_CODE_CONFIRMED, parent_id=registration.parent_id, ip=_ip(request)
        )
        return Outcome(next=CHILDREN)
    do_record_registration_event(
        Action.SMS_CODE_FAILED, parent_id=registration.parent_id, ip=_ip(request)
    )
    left = settings.SMS_CODE_MAX_TRIES - tries
    if left <= 0:
        return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
    return Outcome(
        error=ngettext(
            "Ce code n'est pas le bon. Il vous reste %(left)d essai.",
            "Ce code n'est pas le bon. Il vous reste %(left)d essais.",
            left,
        )
        % {"left": left},
        field="code",
    )


# --- Step 3: each child confirmed by their birth date -------------------------------------


@dataclass
class Verified:
    """A registration whose code was confirmed, and its responsable, still without an
    account."""

    registration: Registration
    parent: User


def _verified(request) -> Verified | None:
    """None for a registration without a confirmed code: an unknown number never gets past
    the code."""
    registration = Registration.load(request)
    if registration is None or not registration.verified or registration.parent_id is None:
        return None
    parent = User.objects.filter(pk=registration.parent_id, activated_at__isnull=True).first()
    return Verified(registration, parent) if parent is not None else None


@dataclass
class ChildToConfirm(Verified):
    """Step 3's state: the next child to confirm, and those still waiting."""

    child: User
    waiting: object  # the children not confirmed yet, ``child`` first (a queryset)

    @property
    def confirmed(self) -> int:
        return len(self.registration.confirmed_children)

    @property
    def total(self) -> int:
        return self.confirmed + self.waiting.count()

    def establishments(self) -> list[str]:
        return [
            e.establishment.name
            for e in self.child.enrolments.filter(left_at__isnull=True).select_related(
                "establishment"
            )
        ]


def child_step(request) -> tuple[ChildToConfirm | None, Outcome]:
    """The next child to confirm, or where to go instead: the start without a confirmed code,
    the password once every child is confirmed."""
    verified = _verified(request)
    if verified is None:
        return None, Outcome(next=START)
    waiting = children_of(verified.parent).exclude(pk__in=verified.registration.confirmed_children)
    child = waiting.first()
    if child is None:
        return None, Outcome(next=CHOOSE_PASSWORD)
    return ChildToConfirm(verified.registration, verified.parent, child, waiting), AGAIN


def confirm_child(request, step: ChildToConfirm, birth_date) -> Outcome:
    """A birth date typed for ``step.child``: right, the next child or the password; wrong,
    refused, and the registration ends at the SMS_CODE_MAX_TRIES-th. Audited either way."""
    registration, parent, child = step.registration, step.parent, step.child
    if birth_date == child.birth_date:
        registration.confirmed_children.append(child.pk)
        registration.save(request)
        do_record_registration_event(
            Action.SMS_CHILD_CONFIRMED, parent_id=parent.pk, ip=_ip(request), child=child.username
        )
        if step.waiting.exclude(pk=child.pk).exists():
            return Outcome(next=CHILDREN)
        return Outcome(next=CHOOSE_PASSWORD)
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
    return Outcome(
        error=_(
            "Cette date de naissance ne correspond pas à celle que connaît l'établissement. "
            "Vérifiez le jour, le mois et l'année."
        )
    )


# --- Step 4: a password and an e-mail address ---------------------------------------------


def password_step(request) -> tuple[Verified | None, Outcome]:
    """The verified registration once every child is confirmed, or where to go instead."""
    verified = _verified(request)
    if verified is None:
        return None, Outcome(next=START)
    waiting = children_of(verified.parent).exclude(pk__in=verified.registration.confirmed_children)
    if waiting.exists():
        return None, Outcome(next=CHILDREN)
    return verified, AGAIN


def finish(request, verified: Verified, *, password, email) -> Outcome:
    """The account is the parent's (families.actions.do_register_parent), the registration is
    forgotten, and « Votre compte est créé » shows the identifier, once."""
    parent = verified.parent
    try:
        do_register_parent(
            parent,
            password=password,
            email=email,
            children=verified.registration.confirmed_children,
            ip=_ip(request),
            request=request,
        )
    except RegistrationError as exc:
        return _restart(request, exc)
    forget(request)
    request.session[DONE_KEY] = parent.username
    return Outcome(next=DONE)


def identifier_once(request) -> str | None:
    """The identifier for « Votre compte est créé », then forgotten: the next person at a
    shared computer does not see it."""
    return request.session.pop(DONE_KEY, None)
