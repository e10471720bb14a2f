from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = _("Familles")

    def ready(self):
        from families.sms import connect_signals

        connect_signals()
