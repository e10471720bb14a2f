from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from ent_portal.health import alive, health
from staff import views as staff_views

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("families.urls")),
    path("educonnect/", include("accounts.urls")),
    path("educonnect/", include("allauth.urls")),
    path("charte/", include("charter.urls")),
    path("pronote/", include("pronote.urls")),
    path("", include("idp.urls")),
    path("admin/suivi/", admin.site.admin_view(staff_views.funnel), name="funnel"),
    path("admin/seance/<int:pk>/", admin.site.admin_view(staff_views.seance), name="seance"),
    path(
        "admin/seance/<int:pk>/direct/",
        admin.site.admin_view(staff_views.seance_live),
        name="seance_live",
    ),
    path(
        "admin/seance/<int:pk>/projection/",
        admin.site.admin_view(staff_views.seance_projection),
        name="seance_projection",
    ),
    path(
        "admin/seance/<int:pk>/aide/<int:user_pk>/",
        admin.site.admin_view(staff_views.seance_help),
        name="seance_help",
    ),
    path(
        "admin/seance/<int:pk>/reinitialiser/",
        admin.site.admin_view(staff_views.seance_reset),
        name="seance_reset",
    ),
    path(
        "admin/seance/<int:pk>/rapport.csv",
        admin.site.admin_view(staff_views.seance_report),
        name="seance_report",
    ),
    # The audit trail moved from accounts to its own app: old bookmarks still work.
    re_path(
        r"^admin/accounts/auditevent/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/audit/auditevent/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("sante/", health, name="health"),
    path("sante/vivant/", alive, name="alive"),
]
