"""The secretariat's pages beside the Django admin (« Suivi des comptes », the séance), each
behind the admin's own door; included under admin/ by the root URLconf. No namespace: the names
(funnel, seance…) are reversed as they are by templates and tests."""

from django.contrib import admin
from django.urls import path

from staff import views

urlpatterns = [
    path("suivi/", admin.site.admin_view(views.funnel), name="funnel"),
    path("seance/<int:pk>/", admin.site.admin_view(views.seance), name="seance"),
    path("seance/<int:pk>/direct/", admin.site.admin_view(views.seance_live), name="seance_live"),
    path(
        "seance/<int:pk>/projection/",
        admin.site.admin_view(views.seance_projection),
        name="seance_projection",
    ),
    path(
        "seance/<int:pk>/aide/<int:user_pk>/",
        admin.site.admin_view(views.seance_help),
        name="seance_help",
    ),
    path(
        "seance/<int:pk>/reinitialiser/",
        admin.site.admin_view(views.seance_reset),
        name="seance_reset",
    ),
    path(
        "seance/<int:pk>/rapport.csv",
        admin.site.admin_view(views.seance_report),
        name="seance_report",
    ),
]
