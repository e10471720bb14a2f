"""The teacher's space, « Mes classes », under enseignant/ (outside the Django admin)."""

from django.urls import path

from classroom import views

app_name = "classroom"

urlpatterns = [
    path("", views.my_classes, name="classes"),
    path("entrainement/nouvelle/", views.create_practice_class, name="create"),
    path("classe/<int:pk>/", views.seance, name="seance"),
    path("classe/<int:pk>/direct/", views.seance_live, name="live"),
    path("classe/<int:pk>/projection/", views.projection, name="projection"),
    path("classe/<int:pk>/bilan.csv", views.report, name="report"),
    path("classe/<int:pk>/courriers/", views.letters, name="letters"),
    path("classe/<int:pk>/reinitialiser/", views.reset, name="reset"),
    path("classe/<int:pk>/supprimer/", views.delete, name="delete"),
    path("classe/<int:pk>/aide/<int:user_pk>/", views.help_pupil, name="help"),
]
