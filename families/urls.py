from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("telephone-demo/", views.demo_phone, name="demo_phone"),
]
