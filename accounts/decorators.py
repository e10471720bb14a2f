import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

# When the pending activation was last seen (seconds since the epoch), in the session.
ACTIVATION_SEEN_AT = "activation_seen_at"
# Which letter the pupil signed in with (its issue time), in the session.
ACTIVATION_LETTER = "activation_letter"


def letter_of(user) -> str:
    issued_at = user.provisional_issued_at
    return issued_at.isoformat() if issued_at else ""


def no_longer_valid(request, user):
    """Why the activation on screen cannot go on (the account changed since the sign-in), or
    None. Checked at every step, and again by do_activate_account under the row's lock."""
    from accounts.actions import ActivationError, check_activation

    try:
        check_activation(user, letter=request.session.get(ACTIVATION_LETTER))
    except ActivationError as exc:
        return str(exc)
    return None


def stage_idle_too_long(request):
    seen_at = request.session.get(ACTIVATION_SEEN_AT)
    return seen_at is not None and time.time() - seen_at > settings.ACTIVATION_IDLE_SECONDS


def activation_stage_required(view_func):
    """Only for a pupil who has just signed in with a provisional password: the pending login
    (kept by allauth in the session for ACCOUNT_LOGIN_TIMEOUT) is handed to the view. Left idle
    for ACTIVATION_IDLE_SECONDS, it ends: the computer may be someone else's by now."""

    @never_cache
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        # Imported here: allauth.account.stages cannot be imported before allauth's flows.
        from allauth.account.stages import LoginStageController

        from accounts.stages import ActivationStage

        stage = LoginStageController.enter(request, ActivationStage.key)
        if stage is None:
            if request.user.is_authenticated:
                return redirect(settings.LOGIN_REDIRECT_URL)
            messages.info(
                request,
                _(
                    "Connectez-vous avec l'identifiant et le mot de passe provisoire de votre "
                    "courrier pour activer votre compte."
                ),
            )
            return redirect("account_login")
        if stage_idle_too_long(request):
            messages.info(
                request,
                _(
                    "L'activation commencée sur cet ordinateur a été interrompue après "
                    "%(minutes)d minutes sans activité. Connectez-vous avec l'identifiant et le "
                    "mot de passe provisoire de votre courrier."
                )
                % {"minutes": settings.ACTIVATION_IDLE_SECONDS // 60},
            )
            return stage.abort()
        reason = no_longer_valid(request, stage.login.user)
        if reason:
            messages.error(request, reason)
            return stage.abort()
        request.session[ACTIVATION_SEEN_AT] = time.time()
        return view_func(request, stage, *args, **kwargs)

    return wrapper
