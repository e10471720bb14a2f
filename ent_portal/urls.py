"""The root URLconf: each room's addresses by include(), by dotted string (no room imported)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from core.health import alive, health

# A database or a Redis that does not answer is a French 503, any other failure a French 500:
# never a traceback (core/errors.py).
handler500 = "core.errors.server_error"

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("families.urls")),
    path("educonnect/", include("accounts.urls")),
    path("educonnect/", include("allauth.urls")),
    path("charte/", include("charter.urls")),
    path("pronote/", include("pronote.urls")),
    path("", include("idp.urls")),
    # « Suivi des comptes » and the séance, behind the admin's door (staff/urls.py).
    path("admin/", include("staff.urls")),
    # Letters being prepared (print, reset, import), outside the admin: a teacher follows
    # theirs there too (staff/job_urls.py).
    path("courriers/", include("staff.job_urls")),
    # « Mes classes », the teacher's space, outside the admin (classroom/urls.py).
    path("enseignant/", include("classroom.urls")),
    # The audit trail moved from accounts to its own app: old bookmarks still work.
    re_path(
        r"^admin/accounts/auditevent/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/audit/auditevent/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("sante/", health, name="health"),
    path("sante/vivant/", alive, name="alive"),
]
