from django.urls import path

from families import registration_views, views

app_name = "families"

urlpatterns = [
    path("telephone-demo/", views.demo_phone, name="demo_phone"),
    path("educonnect/inscription/", registration_views.register_start, name="register_start"),
    path("educonnect/inscription/code/", registration_views.register_code, name="register_code"),
    path(
        "educonnect/inscription/enfants/",
        registration_views.register_children,
        name="register_children",
    ),
    path(
        "educonnect/inscription/mot-de-passe/",
        registration_views.register_password,
        name="register_password",
    ),
    path(
        "educonnect/inscription/compte-cree/",
        registration_views.register_done,
        name="register_done",
    ),
]
