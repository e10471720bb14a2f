from django.urls import path

from families import children_views, registration_views, views

app_name = "families"

urlpatterns = [
    path("telephone-demo/", views.demo_phone, name="demo_phone"),
    path("educonnect/mon-compte/enfants/", children_views.children, name="children"),
    path(
        "educonnect/mon-compte/enfants/<int:pk>/signaler/",
        children_views.report_wrong_link,
        name="report_wrong_link",
    ),
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
