"""One error format for the whole API: ``{"errors": [{"field", "code", "message"}]}``.

``exception_handler`` (settings ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) renders every error a
view lets through in that shape, with the message in Japanese (the active language):

- DRF ``ValidationError``: one entry per message; ``field`` is the dotted path of the input
  (``infants.0.birth_date``), or null for an error about the whole input;
- ``Refused`` (the rules say no): 422, one entry per rules-core reason, ``code`` from the reason;
- ``InvalidState``: 409 ``invalid_state``;
- any other ``ServiceError``: 403 for code ``forbidden``, 404 for ``not_found``, 429 for
  ``blocked`` (failed voucher checks), else 400;
- ``Http404``, ``NotAuthenticated``, ``PermissionDenied`` and every other ``APIException``: their
  status with one entry (``not_found``, ``not_authenticated``, ``permission_denied`` ...);
  a body that cannot be parsed is 400 ``parse_error``.

Anything else is a bug and is left to Django (500).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from sango.core.errors import InvalidState, Refused, ServiceError

Entry = dict[str, Any]

# ServiceError codes that are not a plain bad request.
STATUS_BY_CODE = {
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "invalid_state": status.HTTP_409_CONFLICT,
    # Too many failed voucher checks from one account (sango.vouchers.checks).
    "blocked": status.HTTP_429_TOO_MANY_REQUESTS,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render ``exc`` as ``{"errors": [...]}``; None (a 500) for an exception we do not know."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ServiceError):
        code, entries = _service_error(exc)
        headers: dict[str, str] = {}
    elif isinstance(exc, exceptions.APIException):
        code, entries, headers = _api_exception(exc)
    else:
        return None
    set_rollback()
    return Response({"errors": entries}, status=code, headers=headers)


def error_entry(field: str | None, code: str, message: str) -> Entry:
    """One entry of the error list."""
    return {"field": field, "code": code, "message": message}


def _service_error(exc: ServiceError) -> tuple[int, list[Entry]]:
    if isinstance(exc, Refused):
        entries = [
            error_entry(reason.get("field"), reason.get("code", exc.code), reason["message"])
            for reason in exc.reasons
        ] or [error_entry(exc.field, exc.code, exc.message)]
        return status.HTTP_422_UNPROCESSABLE_ENTITY, entries
    if isinstance(exc, InvalidState):
        return status.HTTP_409_CONFLICT, [error_entry(exc.field, exc.code, exc.message)]
    code = STATUS_BY_CODE.get(exc.code, status.HTTP_400_BAD_REQUEST)
    return code, [error_entry(exc.field, exc.code, exc.message)]


def _api_exception(exc: exceptions.APIException) -> tuple[int, list[Entry], dict[str, str]]:
    headers = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    if isinstance(exc, exceptions.ParseError):
        # DRF words parse errors in English only ("JSON parse error - ..."): say it in Japanese
        # and keep the parser's detail, which tells a developer where the body broke.
        message = f"リクエストの本文を読めません（{exc.detail}）。"
        return exc.status_code, [error_entry(None, "parse_error", message)], headers
    entries = list(flatten(exc.detail))
    if not entries:  # e.g. ValidationError({}) — still say something
        entries = [error_entry(None, exc.default_code, str(exc.default_detail))]
    return exc.status_code, entries, headers


def flatten(detail: Any, field: str | None = None) -> Iterator[Entry]:
    """Every message in a DRF error ``detail`` (dicts of lists of ``ErrorDetail``, nested for
    nested input), with the dotted path of the field it belongs to."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                yield from flatten(value, field)
            else:
                yield from flatten(value, f"{field}.{key}" if field else str(key))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):  # a nested serializer's errors, per list item
                yield from flatten(item, f"{field}.{index}" if field else str(index))
            else:
                yield from flatten(item, field)
    else:
        yield error_entry(field, getattr(detail, "code", None) or "invalid", str(detail))
