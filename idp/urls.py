"""The provider's addresses. The namespace is allauth's (`idp`, with `idp:oidc:*` inside), so
that allauth's own reverse() calls keep working; our door stands in front of its authorization
endpoint and its token endpoint (same paths, listed first)."""

from django.conf import settings
from django.urls import include, path

from idp import token_door, views
from idp.rules import AUTHORIZE_PATH

app_name = "idp"

urlpatterns = [
    path("cas/login", views.cas_login, name="cas_login"),
    path("cas/serviceValidate", views.cas_service_validate, name="cas_service_validate"),
    path("cas/p3/serviceValidate", views.cas_p3_service_validate, name="cas_p3_service_validate"),
    path("cas/logout", views.cas_logout, name="cas_logout"),
    path("fournisseur/charte/", views.charter, name="charter"),
    path("fournisseur/charte/refuser/", views.refuse, name="refuse"),
]

if settings.IDP_OIDC_ENABLED:
    urlpatterns = [
        path(AUTHORIZE_PATH.lstrip("/"), views.authorize),
        path(views.LOGOUT_PATH.lstrip("/"), views.logout_door),
        path("identity/o/api/token", token_door.token),
        path("", include("allauth.idp.oidc.urls")),
        *urlpatterns,
    ]
