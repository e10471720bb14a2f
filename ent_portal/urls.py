from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

urlpatterns = [
    path("", account_views.index, name="index"),
    path("educonnect/", include("accounts.urls")),
    path("educonnect/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
