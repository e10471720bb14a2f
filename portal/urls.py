from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("connexion/", views.profile_choice, name="profile_choice"),
    path("connexion/profil/<slug:profile>/", views.profile_info, name="profile_info"),
    path("services/", views.services, name="services"),
    path("services/contact/", views.contact, name="contact"),
    path("services/<slug:slug>/", views.not_simulated, name="not_simulated"),
    path("ent/", views.ent_home, name="ent_home"),
    path("ent/portails/", views.switch_portal, name="switch_portal"),
]
