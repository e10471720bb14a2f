from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.flows import activation


def follow(request, stage, outcome):
    """The response that an activation flow's ``outcome`` asks for, or None: show the page."""
    if outcome.message:
        messages.add_message(request, outcome.level, outcome.message)
    if outcome.ends:
        return stage.abort()
    if outcome.done:
        return stage.exit()
    return None


def activation_stage_required(view_func):
    """Only for a pupil who has just signed in with a provisional password: the pending login
    (kept by allauth in the session for ACCOUNT_LOGIN_TIMEOUT) is handed to the view, unless
    the flow ends it first (left idle, or the account changed: accounts.flows.activation)."""

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
        ended = follow(request, stage, activation.enter_step(request, stage.login.user))
        if ended is not None:
            return ended
        return view_func(request, stage, *args, **kwargs)

    return wrapper
