"""The one error type services raise for a request they refuse, with a Japanese message.

The API turns it into ``{"errors": [{"field", "code", "message"}]}``; forms show ``message``
next to ``field``. Nothing is saved when a service raises it (services run in a transaction).
"""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message}


class InvalidState(ServiceError):
    """The object is not in a state this step may start from (approve a rejected application)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_state")


class Refused(ServiceError):
    """The rules say no (not eligible, cap reached); ``reasons`` lists every rules-core reason."""

    def __init__(self, message: str, reasons: list[dict[str, str]]) -> None:
        super().__init__(message, code="refused")
        self.reasons = reasons
