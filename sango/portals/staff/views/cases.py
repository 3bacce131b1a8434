"""One mother's file: the case page, with the actions its current state allows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from sango.portals.staff.auth import staff_required
from sango.portals.staff.case import case_page


@require_GET
@staff_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "staff/case.html", {"case": case_page(request.user, pk)})


urlpatterns = [
    path("cases/<int:pk>/", case, name="case"),
]
