from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=False)
def oidc_key(app_configs, **kwargs):
    if settings.IDP_OIDC_ENABLED and not settings.IDP_OIDC_PRIVATE_KEY:
        return [
            Warning(
                "No OpenID Connect signing key: set IDP_OIDC_PRIVATE_KEY or "
                "IDP_OIDC_PRIVATE_KEY_FILE (make run creates data/oidc-dev-key.pem).",
                id="idp.W001",
            )
        ]
    return []
