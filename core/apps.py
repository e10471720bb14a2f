"""The ground floor's AppConfig; saves no time (none claimed): third-party apps named in French."""

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Names that third-party apps show in the admin in English (or not marked for translation):
# app label → (app name, {model name: (singular, plural)}).
FRENCH_NAMES = {
    "mfa": (
        _("Double authentification"),
        {"authenticator": (_("authentificateur"), _("authentificateurs"))},
    ),
    "usersessions": (
        _("Sessions des utilisateurs"),
        {"usersession": (_("session ouverte"), _("sessions ouvertes"))},
    ),
    "django_tasks_database": (
        _("Tâches en arrière-plan"),
        {"dbtaskresult": (_("résultat de tâche"), _("résultats des tâches"))},
    ),
    "account": (
        _("Adresses mail"),
        {"emailaddress": (_("adresse mail"), _("adresses mail"))},
    ),
}


class CoreConfig(AppConfig):
    """The ground floor (docs/architecture.md, « Les pièces et leurs étages »): the cross-cutting
    machinery every room may use, and the French names of the third-party apps in the admin."""

    name = "core"
    verbose_name = _("Portail")

    def ready(self):
        for label, (app_name, models) in FRENCH_NAMES.items():
            try:
                config = apps.get_app_config(label)
            except LookupError:  # not installed
                continue
            config.verbose_name = app_name
            for model_name, (singular, plural) in models.items():
                meta = config.get_model(model_name)._meta
                meta.verbose_name, meta.verbose_name_plural = singular, plural
