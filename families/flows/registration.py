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
from django.utils.translation import gettext_lazy, ngettext

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
DAY = 24 * 3600

LETTER_STILL_WORKS = gettext_lazy(
    "Si l'établissement vous a remis un courrier avec un identifiant et un mot de passe "
    "provisoire, il fonctionne toujours : connectez-vous avec lui."
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


def _over_limits(request, limit_key) -> str:
    """Count this SMS against the address, then the number with the names typed, before
    anything is sent; what to say when over a limit, or "". Counted the same for a known and
    an unknown number. The address limit slows a room down (a parents' evening shares one
    address): the page says how long to wait, never « tomorrow »."""
    ip = _ip(request)
    window = settings.SMS_ADDRESS_WINDOW_SECONDS
    if limits.hit("address", ip, window=window) > settings.SMS_REGISTRATIONS_PER_ADDRESS:
        do_record_registration_event(
            Action.SMS_REGISTRATION_LIMITED, parent_id=None, ip=ip, limit="address"
        )
        minutes = limits.minutes_left(window)
        return " ".join(
            [
                ngettext(
                    "Beaucoup de demandes de code partent en ce moment de cette connexion. "
                    "Patientez %(minutes)d minute, puis cliquez à nouveau sur « Recevoir "
                    "un code "
                    "par SMS » : ce que vous avez saisi reste dans le formulaire.",
                    "Beaucoup de demandes de code partent en ce moment de cette connexion. "
                    "Patientez %(minutes)d minutes, puis cliquez à nouveau sur « Recevoir "
                    "un code "
                    "par SMS » : ce que vous avez saisi reste dans le formulaire.",
                    minutes,
                )
                % {"minutes": minutes},
                str(LETTER_STILL_WORKS),
            ]
        )
    if limits.hit("number", limit_key, window=DAY) > settings.SMS_PER_NUMBER_PER_DAY:
        do_record_registration_event(
            Action.SMS_REGISTRATION_LIMITED, parent_id=None, ip=ip, limit="number"
        )
        return " ".join(
            [
                _(
                    "Trop de demandes de code pour ce numéro aujourd'hui. Réessayez demain, ou "
                    "adressez-vous au secrétariat de l'établissement."
                ),
                str(LETTER_STILL_WORKS),
            ]
        )
    return ""


# --- Step 1: nom, prénom, téléphone portable ----------------------------------------------


def start(request, *, last_name, first_name, mobile) -> Outcome:
    """A new registration, and a code sent to the number if the school knows it with these
    names (within the limits); on to the code either way."""
    limit_key = limits.number_key(mobile, last_name, first_name)
    refused = _over_limits(request, limit_key)
    if refused:
        return Outcome(error=refused, field="mobile")
    parent = find_registering_parent(last_name, first_name, mobile)
    registration = Registration.start(
        request, mobile=mobile, parent_id=parent.pk if parent else None, limit_key=limit_key
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
                "Vous avez déjà demandé un nouveau code plusieurs fois : recommencez plus tard."
            ),
        )
    refused = _over_limits(request, registration.limit_key or registration.mobile)
    if refused:
        return Outcome(next=CODE, message=refused)
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
        return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
    if registration.code_expired():
        return Outcome(
            error=_("Ce code a expiré : cliquez sur « Recevoir un nouveau code »."),
            field="code",
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
        return _restart(request, _("Trop de codes erronés : recommencez l'inscription."))
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
class ChildrenToConfirm(Verified):
    """Step 3's state: the children still to confirm, never named (whoever holds the SMS code
    must not learn them), and those confirmed, named now that their birth date was given."""

    waiting: list  # the children not confirmed yet (Users)
    confirmed: list  # the children confirmed (Users)

    @property
    def total(self) -> int:
        return len(self.confirmed) + len(self.waiting)


def child_step(request) -> tuple[ChildrenToConfirm | None, Outcome]:
    """The children to confirm, or where to go instead: the start without a confirmed code,
    the password once every child is confirmed."""
    verified = _verified(request)
    if verified is None:
        return None, Outcome(next=START)
    done = verified.registration.confirmed_children
    children = list(children_of(verified.parent).prefetch_related("enrolments__establishment"))
    waiting = [child for child in children if child.pk not in done]
    if not waiting:
        return None, Outcome(next=CHOOSE_PASSWORD)
    confirmed = [child for child in children if child.pk in done]
    return ChildrenToConfirm(verified.registration, verified.parent, waiting, confirmed), AGAIN


def establishments(child) -> list[str]:
    """Where a confirmed child is at school, for the list of those confirmed."""
    return [e.establishment.name for e in child.enrolments.all() if e.left_at is None]


def confirm_child(request, step: ChildrenToConfirm, birth_date) -> Outcome:
    """A birth date typed: counted first, atomically (at most SMS_CODE_MAX_TRIES wrong ones
    are ever compared, however many browsers guess at once; a right one is given back); the
    child still waiting with that birth date is confirmed, then the next or the password;
    none, refused, and the registration ends at the SMS_CODE_MAX_TRIES-th. Audited either
    way."""
    registration, parent = step.registration, step.parent
    guesses = registration.count_child_guess()
    if guesses > settings.SMS_CODE_MAX_TRIES:
        return _restart(request, TOO_MANY_BIRTH_DATES)
    child = next((c for c in step.waiting if c.birth_date == birth_date), None)
    if child is not None:
        registration.give_back_child_guess()
        registration.confirmed_children.append(child.pk)
        registration.save(request)
        do_record_registration_event(
            Action.SMS_CHILD_CONFIRMED, parent_id=parent.pk, ip=_ip(request), child=child.username
        )
        if len(step.waiting) > 1:
            return Outcome(next=CHILDREN)
        return Outcome(next=CHOOSE_PASSWORD)
    do_record_registration_event(Action.SMS_CHILD_REFUSED, parent_id=parent.pk, ip=_ip(request))
    if guesses >= settings.SMS_CODE_MAX_TRIES:
        return _restart(request, TOO_MANY_BIRTH_DATES)
    return Outcome(
        error=_(
            "Cette date de naissance ne correspond à aucun de vos enfants que l'établissement "
            "connaît. Vérifiez le jour, le mois et l'année."
        )
    )


TOO_MANY_BIRTH_DATES = gettext_lazy(
    "Trop de dates de naissance erronées : l'inscription est arrêtée. "
    "Adressez-vous au secrétariat de l'établissement."
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
