"""API fields that read input as the portals' forms do, with the same parser (one way to read
a date across every door: ``sango.rules.request.parse_date``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework import serializers

from sango.rules.request import EARLIEST, LATEST, parse_date


class DayField(serializers.DateField):
    """A date: ISO 2026-04-01 (as the schema says) and also what people type — 2026/4/1,
    full-width digits, 令和8年4月1日, R8.4.1; dates outside 1900–2099 are refused.
    Written out as ISO."""

    default_error_messages = {
        "invalid": "日付として読めません。2026-04-01 の形で入力してください。",
    }

    def to_internal_value(self, value: Any) -> date:
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            self.fail("invalid")
        day = parse_date(value)
        if day is None and getattr(self, "input_formats", None) is not None:
            day = super().to_internal_value(value)  # a field's own formats, e.g. 2026-05
        if day is None or not EARLIEST <= day <= LATEST:
            self.fail("invalid")
        return day
