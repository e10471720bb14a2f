"""The activation of a provisional account (steps 2 to 4 of docs/enseignant.md, « Le parcours de
l'élève, écran par écran »), after a sign-in with a letter's password and before the session
exists (a login stage, accounts/stages.py): what the session keeps, when a pending activation
ends, what the form leads to; for a parent's letter, the address confirmed before the account
opens.

Each function returns an ``Outcome`` that the views (accounts/views.py) follow: go on with the
sign-in, end it with a message, or show the page again."""

import secrets
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import lockout
from accounts.actions import (
    LETTER_BLOCKED_MESSAGE,
    ActivationError,
    check_activation,
    do_activate_account,
    do_record_wrong_birth_date,
)
from accounts.adapter import LOCKED_MESSAGE
from audit.models import Action, record

# When the pending activation was last seen (seconds since the epoch), in the session.
SEEN_AT = "activation_seen_at"
# Which letter the pupil signed in with (its issue time), in the session.
LETTER = "activation_letter"
# Which browser tab the activation belongs to: a random value, in the session, that the first
# page of the activation hands to its tab (``tab``); whether it was handed already.
TAB = "activation_tab"
TAB_GIVEN = "activation_tab_given"
# What static/js/activation-tab.js posts to « Ce n'est pas moi » from another tab.
OTHER_TAB = "autre-onglet"


@dataclass(frozen=True)
class Outcome:
    """What the view does next: ``done``, the stage is over and the sign-in goes on
    (``stage.exit()``); ``ends``, the pending sign-in ends, back to an empty sign-in page
    (``stage.abort()``); neither, the page again. ``message`` is said on the next page."""

    done: bool = False
    ends: bool = False
    message: str = ""
    level: int = messages.ERROR


AGAIN = Outcome()


def _ended(message, level=messages.ERROR) -> Outcome:
    return Outcome(ends=True, message=str(message), level=level)


def _ip(request):
    return get_adapter(request).get_client_ip(request)


def letter_of(user) -> str:
    issued_at = user.provisional_issued_at
    return issued_at.isoformat() if issued_at else ""


def begin(request, user) -> bool:
    """After the password, before the session: a provisional account is to be activated.
    The session keeps when (the idle limit) and with which letter (a letter re-issued since
    stops the activation); audited. False when there is nothing to activate."""
    if user is None or not user.is_provisional:
        return False
    request.session[SEEN_AT] = time.time()
    request.session[LETTER] = letter_of(user)
    request.session[TAB] = secrets.token_urlsafe(16)
    request.session[TAB_GIVEN] = False
    record(Action.ACTIVATION_STARTED, subject=user, actor=user, ip=_ip(request))
    return True


def enter_step(request, user) -> Outcome:
    """Before each step (2 and 3): a pending activation left idle ACTIVATION_IDLE_SECONDS ends
    (the computer may be someone else's by now), and so does one whose account changed since
    the sign-in (accounts.actions.check_activation, checked again under the row's lock when
    activating). Otherwise the step is seen now."""
    seen_at = request.session.get(SEEN_AT)
    if seen_at is not None and time.time() - seen_at > settings.ACTIVATION_IDLE_SECONDS:
        minutes = settings.ACTIVATION_IDLE_SECONDS // 60
        return _ended(
            ngettext(
                "L'activation commencée sur cet ordinateur a été interrompue après "
                "%(minutes)d minute sans activité. Connectez-vous avec l'identifiant et le "
                "mot de passe provisoire de votre courrier.",
                "L'activation commencée sur cet ordinateur a été interrompue après "
                "%(minutes)d minutes sans activité. Connectez-vous avec l'identifiant et le "
                "mot de passe provisoire de votre courrier.",
                minutes,
            )
            % {"minutes": minutes},
            messages.INFO,
        )
    try:
        check_activation(user, letter=request.session.get(LETTER))
    except ActivationError as exc:
        return _ended(exc)
    request.session[SEEN_AT] = time.time()
    return AGAIN


def tab(request) -> dict:
    """The pending activation belongs to the browser tab it started in (a shared computer: a
    new tab typed by hand, or picked from the address bar's suggestions, is the next pupil's).
    The first page rendered after the sign-in hands the tab a random value (``claim``), which
    static/js/activation-tab.js keeps in the tab's sessionStorage; every later page carries the
    value, and the script ends the activation (``cancel``) in a tab that does not hold it.
    Without JavaScript nothing is checked: the idle limit and the sign-in page remain."""
    claim = not request.session.get(TAB_GIVEN, True)
    request.session[TAB_GIVEN] = True
    return {
        "activation_tab": request.session.get(TAB, ""),
        "activation_tab_claim": claim,
        "activation_tab_reason": OTHER_TAB,
    }


def cancel(reason) -> Outcome:
    """« Ce n'est pas moi », or the script of a tab where the activation did not start."""
    if reason == OTHER_TAB:
        return _ended(
            _(
                "L'activation commencée sur cet ordinateur a été interrompue : elle ne se "
                "poursuit que dans l'onglet où elle a commencé. Connectez-vous avec "
                "l'identifiant et le mot de passe provisoire de votre courrier."
            ),
            messages.INFO,
        )
    return Outcome(ends=True)


def open_form(user) -> Outcome:
    """Step 3 is not shown to an identifier locked out meanwhile."""
    if lockout.is_locked(user.username):
        return _ended(LOCKED_MESSAGE)
    return AGAIN


def submit(request, login, form) -> Outcome:
    """Step 3 posted. Valid: the account is activated with the letter the session keeps, and
    the sign-in goes on to « Votre compte est créé », then where it was going. A wrong birth
    date counts against the letter itself, across sign-ins (guessing it is guessing a secret):
    at the last one allowed, the activation ends."""
    if form.is_valid():
        try:
            user = do_activate_account(
                login.user,
                new_password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                ip=_ip(request),
                request=request,
                letter=request.session.get(LETTER),
            )
        except ActivationError as exc:
            return _ended(exc)
        login.user = user
        login.redirect_url = _activated_url(request, login.redirect_url)
        return Outcome(done=True)
    if getattr(form, "birth_date_mismatch", False):
        user = do_record_wrong_birth_date(login.user, ip=_ip(request))
        if user.letter_blocked:
            return _ended(LETTER_BLOCKED_MESSAGE)
        left = settings.ACTIVATION_MAX_BIRTH_DATE_FAILURES - user.birth_date_failures
        form.add_error(
            "birth_day",
            ngettext(
                "Encore %(count)d essai avant que le courrier soit bloqué.",
                "Encore %(count)d essais avant que le courrier soit bloqué.",
                left,
            )
            % {"count": left},
        )
        form.keep_typed_passwords()
    return AGAIN


def local_path(request, target):
    """A path of this site, or None: never another host, never a scheme."""
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


def _activated_url(request, going_to):
    """« Votre compte est créé », remembering where the sign-in was going (a service's door)."""
    url = reverse("accounts:activated")
    going_to = local_path(request, going_to)
    if going_to:
        url += "?" + urlencode({"next": going_to})
    return url


def continue_url(request) -> str:
    """Step 4's « Continuer »: where the sign-in was going, else the services page."""
    return local_path(request, request.GET.get("next")) or reverse("portal:services")


def just_activated(login) -> bool:
    """A parent who has just activated a letter is told « Votre compte est créé » on the page
    that asks for the address's confirmation."""
    return (login.redirect_url or "").startswith(reverse("accounts:activated"))


def unconfirmed_address(user):
    """The address a parent gave at activation, waiting for its link to be opened."""
    return EmailAddress.objects.filter(user=user, verified=False).order_by("-primary").first()


def send_link_again(request, address) -> Outcome:
    """« Renvoyer le mail », within allauth's limit for the address (``confirm_email``)."""
    if ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        address.send_confirmation(request)
        return Outcome(message=_("Un nouveau lien vient d'être envoyé."), level=messages.INFO)
    return Outcome(message=_("Un lien vient déjà d'être envoyé : patientez quelques minutes."))
