"""The secretariat's pages beside the Django admin (« Suivi des comptes », the séance), each
behind the admin's own door; included under admin/ by the root URLconf. No namespace: the names
(funnel, seance…) are reversed as they are by templates and tests."""

from django.contrib import admin
from django.urls import path

from staff import views


def behind_the_admin_door(route, view, name):
    return path(route, admin.site.admin_view(view), name=name)


urlpatterns = [
    behind_the_admin_door("suivi/", views.funnel, "funnel"),
    behind_the_admin_door("seance/<int:pk>/", views.seance, "seance"),
    behind_the_admin_door("seance/<int:pk>/direct/", views.seance_live, "seance_live"),
    behind_the_admin_door(
        "seance/<int:pk>/projection/", views.seance_projection, "seance_projection"
    ),
    behind_the_admin_door("seance/<int:pk>/aide/<int:user_pk>/", views.seance_help, "seance_help"),
    behind_the_admin_door("seance/<int:pk>/reinitialiser/", views.seance_reset, "seance_reset"),
    behind_the_admin_door("seance/<int:pk>/rapport.csv", views.seance_report, "seance_report"),
]
