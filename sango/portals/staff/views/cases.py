"""One mother's file: the case page, with the actions its current state allows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from sango.accounts.access import uploads_visible_to
from sango.portals.common.files import upload_response
from sango.portals.staff.auth import staff_required
from sango.portals.staff.case import case_page


@require_GET
@staff_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "staff/case.html", {"case": case_page(request.user, pk)})


@require_GET
@staff_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A file a mother of the municipality handed in online, shown in the browser."""
    return upload_response(get_object_or_404(uploads_visible_to(request.user), pk=pk))


urlpatterns = [
    path("cases/<int:pk>/", case, name="case"),
    path("uploads/<int:pk>/", upload, name="upload"),
]
