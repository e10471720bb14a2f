import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from idp.actions import do_single_logout
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
    """« Marquer comme parti » (is_active off): the services are told at once, like at a
    sign-out, instead of keeping their sessions until they expire."""
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        do_single_logout(instance)


@receiver(user_logged_in, dispatch_uid="idp_signed_in_at")
def remember_when_signed_in(sender, request, user, **kwargs):
    """The sign-in time: OIDC `auth_time` and `max_age`, CAS `renew` (idp/doors.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
