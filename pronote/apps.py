from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PronoteConfig(AppConfig):
    name = "pronote"
    verbose_name = _("PRONOTE (simulation)")
