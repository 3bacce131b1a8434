"""The orjson renderer writes what DRF's own JSON renderer writes, byte for byte."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict

from sango.api.renderers import JSONRenderer

TOKYO = timezone(timedelta(hours=9))


def test_the_renderer_writes_what_drf_writes() -> None:
    data = ReturnDict(
        {
            "name": "かねこ助産院",
            "label": gettext_lazy("記録済み"),
            "error": [ErrorDetail("入力してください。", code="required")],
            "at": datetime(2026, 4, 1, 10, 0, 0, 123456, tzinfo=TOKYO),
            "utc": datetime(2026, 4, 1, 1, 0, tzinfo=UTC),
            "day": date(2026, 4, 1),
            "yen": Decimal("1.50"),
            "id": UUID(int=1),
            "counted": {1: 2, "stay": 3},
            "nested": [{"a": None, "b": True, "c": 1.5}, ()],
        },
        serializer=None,
    )
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)
    assert JSONRenderer().render(None) == b""
    # Beyond orjson's 64 bits, DRF renders the body.
    huge = {"n": 2**70}
    assert JSONRenderer().render(huge) == renderers.JSONRenderer().render(huge)
    indented = "application/json; indent=2"
    assert JSONRenderer().render(data, indented) == renderers.JSONRenderer().render(data, indented)


@pytest.mark.django_db
def test_the_answer_follows_each_requests_accept_header(api) -> None:
    """The renderer chosen for a header is remembered; each request still gets what its own
    header asks for."""
    from sango.api.tests.helpers import errors_of

    client = api(None)
    path = "/api/programmes/"
    for _ in range(2):
        assert b"\n" not in client.get(path).content
        indented = client.get(path, HTTP_ACCEPT="application/json; indent=2")
        assert indented.status_code == 200 and indented.content.startswith(b"[\n  {")
        assert indented["Content-Type"].startswith("application/json")
        errors_of(client.get(path, HTTP_ACCEPT="text/html"), 406)
    long_header = ", ".join(["text/plain"] * 40 + ["application/json; indent=2"])
    assert client.get(path, HTTP_ACCEPT=long_header).content.startswith(b"[\n  {")
