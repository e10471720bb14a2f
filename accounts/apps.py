from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        # « Mes sessions »: one INSERT per sign-in instead of allauth's walk (accounts/sessions.py),
        # written by the adapter's login() in the sign-in's transaction (accounts/adapter.py).
        # Saves ≈20 ms of a sign-in POST, growing with a pupil's sessions: bench/profile.py A/B.
        from django.apps import apps

        if not apps.is_installed("allauth.usersessions"):  # the bench's bare peer
            return
        from allauth.account.signals import user_logged_in
        from allauth.usersessions import signals as usersessions

        user_logged_in.disconnect(receiver=usersessions.on_user_logged_in)
