"""URLs of the public programme pages, under ``/programmes/``."""

from django.urls import path

from sango.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<str:code>/", views.programme_detail, name="detail"),
    path("<str:code>/quote/", views.quote, name="quote"),
]
