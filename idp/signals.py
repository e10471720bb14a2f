import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.signals import access_withdrawn
from idp.actions import do_sign_out_everywhere, do_single_logout
from idp.doors import SIGNED_IN_AT


@receiver(user_logged_out, dispatch_uid="idp_single_logout")
def end_service_sessions(sender, request, user, **kwargs):
    """Sent before the session is flushed: its key still names the services it signed into."""
    if request is not None and hasattr(request, "session"):
        key = request.session.session_key
        if key:
            do_single_logout(user, key)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="idp_departure_logout")
def end_service_sessions_of_a_disabled_account(sender, instance, update_fields=None, **kwargs):
    """An account switched off (is_active off: a departure, the admin's « actif », two
    parents' accounts grouped): the services are told, like at a sign-out, instead of keeping
    their sessions until they expire."""
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        do_single_logout(instance)


@receiver(user_logged_in, dispatch_uid="idp_signed_in_at")
def remember_when_signed_in(sender, request, user, **kwargs):
    """The sign-in time: OIDC `auth_time` and `max_age`, CAS `renew` (idp/doors.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


@receiver(access_withdrawn, dispatch_uid="idp_access_withdrawn")
def end_service_sessions_of_withdrawn_access(sender, users, **kwargs):
    """A re-issue, a class reset, a departure (accounts, once committed): single sign-out of
    every service session of these people, every token revoked."""
    do_sign_out_everywhere(users)
