"""URLs of the bench's peer (bench/peer_settings.py): a bare sign-in and a bare page."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache


@never_cache
@login_required
def page(request):
    return render(request, "peer/page.html")


@never_cache
def alive(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("banc/pair/connexion/", LoginView.as_view(template_name="peer/login.html")),
    path("banc/pair/page/", page),
    path("sante/vivant/", alive),
]
