import django_cas_ng.views
from django.urls import include, path

from school_service import views

urlpatterns = [
    path("", views.home, name="home"),
    path("deconnexion/", views.sign_out, name="sign_out"),
    path("oidc/backchannel-logout/", views.backchannel_logout, name="backchannel_logout"),
    path("accounts/", include("allauth.urls")),
    path("cas/login", django_cas_ng.views.LoginView.as_view(), name="cas_ng_login"),
    path("cas/logout", django_cas_ng.views.LogoutView.as_view(), name="cas_ng_logout"),
]
