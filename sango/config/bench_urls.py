"""The production URLconf plus two bare views, for the load benchmark only
(``sango.config.settings.bench``; never mounted by the production settings).

Every endpoint's throughput is reported as a ratio to ``bare`` measured in the same round, so
that the figures say what Sango costs on top of the stack, whatever the machine's load.
"""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sango.config.urls import urlpatterns as production_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    """Bare view A: one ``SELECT 1`` and a JSON body, through the full middleware stack."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return JsonResponse({"one": one})


class BareApi(APIView):
    """Bare view B: DRF with the project's authentication (a token) and permission, no query
    beyond the token's."""

    def get(self, request: Request) -> Response:
        return Response({"user": request.user.pk})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-api/", BareApi.as_view()),
    *production_urlpatterns,
]
