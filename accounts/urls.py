from allauth.account.views import LoginView
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("activation/", views.activation_start, name="activation_start"),
    path("activation/formulaire/", views.activate, name="activate"),
    path("activation/annuler/", views.activation_cancel, name="activation_cancel"),
    path("activation/prolonger/", views.activation_extend, name="activation_extend"),
    path("compte-cree/", views.activated, name="activated"),
    path("adresse-a-confirmer/", views.email_required, name="email_required"),
    path("mon-compte/", views.home, name="home"),
    path("identifiant-perdu/", views.lost_identifier, name="lost_identifier"),
    path("aide/<slug:slug>/", views.help_page, name="help"),
    path("boite-mail-demo/", views.demo_mailbox, name="demo_mailbox"),
    # allauth's sign-in in the staff's words (the admin's door: staff/admin.py).
    path(
        "connexion-personnel/",
        LoginView.as_view(template_name="account/login_staff.html"),
        name="staff_login",
    ),
]
