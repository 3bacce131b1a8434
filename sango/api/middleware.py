"""A server error under /api/ answers in the API's own format, like every other status: a
client parsing ``{"errors": [...]}`` never meets an HTML page. The exception is still logged
(path and exception only; the personal-data filter guards every handler)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("sango.api")
MESSAGE = "サーバーでエラーが起きました。時間をおいてもう一度お試しください。"


class ApiServerErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        logger.error("API server error on %s", request.path, exc_info=exception)
        error = {"field": None, "code": "server_error", "message": MESSAGE}
        return JsonResponse({"errors": [error]}, status=500)
