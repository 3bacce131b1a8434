"""Assertions on the one error format: ``{"errors": [{"field", "code", "message"}]}``."""

from __future__ import annotations

import re
from typing import Any

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def errors_of(response: Any, status: int) -> list[dict]:
    """The error entries of ``response``, after checking its status and the body's shape."""
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    for entry in body["errors"]:
        assert set(entry) == {"field", "code", "message"}, entry
        assert JAPANESE.search(entry["message"]), entry  # every message is in Japanese
    return body["errors"]


def fields_of(response: Any, status: int = 400) -> dict[str | None, str]:
    """``{field: code}`` of an error response."""
    return {e["field"]: e["code"] for e in errors_of(response, status)}


def assert_not_found(response: Any) -> None:
    assert [e["code"] for e in errors_of(response, 404)] == ["not_found"]


def assert_forbidden(response: Any, code: str = "permission_denied") -> None:
    assert [e["code"] for e in errors_of(response, 403)] == [code]


def assert_unauthenticated(response: Any) -> None:
    assert [e["code"] for e in errors_of(response, 401)] == ["not_authenticated"]
