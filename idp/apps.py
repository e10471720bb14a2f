from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdpConfig(AppConfig):
    """The portal as identity provider of the school's services: OpenID Connect (through
    allauth.idp.oidc) and CAS, with the charter enforced at their doors."""

    name = "idp"
    verbose_name = _("Services connectés")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from idp import checks, keys, signals  # noqa: F401

        keys.parse_once()  # the signing key parsed once per process, not at every token
