from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdpConfig(AppConfig):
    """The portal as identity provider of the school's services: OpenID Connect (through
    allauth.idp.oidc) and CAS, with the charter enforced at their doors."""

    name = "idp"
    verbose_name = _("Services connectés")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from idp import checks, signals  # noqa: F401
