"""Views for the public home page and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sango.core.health import database_is_reachable


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Sango is and who it is for."""
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"status": "ok"}`` with 200 if the database answers, ``{"status": "error"}`` with 503
    if not. Gives no detail: the endpoint is unauthenticated."""
    if database_is_reachable():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "error"}, status=503)
