from django.contrib import admin
from django.urls import include, path

from ent_portal.health import alive, health
from portal.admin_views import funnel

urlpatterns = [
    path("", include("portal.urls")),
    path("educonnect/", include("accounts.urls")),
    path("educonnect/", include("allauth.urls")),
    path("charte/", include("charter.urls")),
    path("pronote/", include("pronote.urls")),
    path("", include("idp.urls")),
    path("admin/suivi/", admin.site.admin_view(funnel), name="funnel"),
    path("admin/", admin.site.urls),
    path("sante/", health, name="health"),
    path("sante/vivant/", alive, name="alive"),
]
