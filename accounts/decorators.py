from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def activation_stage_required(view_func):
    """Only for a pupil who has just signed in with a provisional password: the pending login
    (kept by allauth in the session for ACCOUNT_LOGIN_TIMEOUT) is handed to the view."""

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
        return view_func(request, stage, *args, **kwargs)

    return wrapper
