from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from idp.actions import do_single_logout


@receiver(user_logged_out, dispatch_uid="idp_single_logout")
def end_service_sessions(sender, request, user, **kwargs):
    """Sent before the session is flushed: its key still names the services it signed into."""
    if request is not None and hasattr(request, "session"):
        do_single_logout(user, request.session.session_key)
