from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PronoteConfig(AppConfig):
    name = "pronote"
    verbose_name = _("PRONOTE (simulation)")

    def ready(self):
        from accounts.signals import demo_data_ready
        from pronote.demo import seed_demo

        demo_data_ready.connect(seed_demo, dispatch_uid="pronote.seed_demo")
