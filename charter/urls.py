from django.urls import path

from charter import views

app_name = "charter"

urlpatterns = [
    path("", views.accept, name="accept"),
    path("refuser/", views.refuse, name="refuse"),
    path("version/<int:version>/", views.read, name="read"),
]
