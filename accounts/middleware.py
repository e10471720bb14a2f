import functools

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.mfa import may_have_second_factor


@functools.cache
def admin_prefix():
    return reverse("admin:index")  # the same for the life of the process


@functools.cache
def second_factor_prefix():
    return reverse("mfa_index")


class StaffSecondFactorMiddleware:
    """The admin is open to staff who have set up a TOTP key. The key itself is asked at every
    sign-in by allauth's MFA login stage (the admin signs in through allauth: staff/admin.py).

    allauth's pages to set up a second factor are for staff only (accounts/mfa.py): for a
    signed-in pupil or parent they do not exist. (The code page of the sign-in itself is
    reached before the session exists, by staff only.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(second_factor_prefix())
            and user.is_authenticated
            and not may_have_second_factor(user)
        ):
            raise Http404
        if (
            request.path.startswith(admin_prefix())
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Avant d'ouvrir l'administration, activez la double authentification : "
                    "scannez le QR code avec une application (FreeOTP, Aegis, Google "
                    "Authenticator…) puis saisissez le code qu'elle affiche."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
