"""URLs of the core app: home page and health check."""

from django.urls import path

from sango.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
