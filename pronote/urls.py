from django.urls import path

from pronote import views

app_name = "pronote"

urlpatterns = [
    path("", views.home, name="home"),
    path("emploi-du-temps/", views.timetable, name="timetable"),
    path("notes/", views.grades, name="grades"),
    path("travail-a-faire/", views.homework, name="homework"),
    path("vie-scolaire/", views.school_life, name="school_life"),
    path("enfant/", views.choose_child, name="choose_child"),
]
