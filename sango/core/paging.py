"""The head of a long list and its total, as the office and portal lists show them."""

from __future__ import annotations

from django.db.models import QuerySet


def head_and_total(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``queryset`` and how many rows it has in all.

    A list shorter than ``limit`` is its own total, so only a longer one is counted by the
    database: most queues of waiting work are short, and a count costs as much to compose as
    the rows' own query."""
    rows = list(queryset[:limit])
    if len(rows) < limit:
        return rows, len(rows)
    return rows, max(len(rows), queryset.count())
