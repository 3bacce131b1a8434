"""Pagination of every list: ``?page=2&page_size=100`` (at most 200 per page).

A page costs the same however long the list: its rows are read with one more than the page
holds (so whether another page follows is known without a count). The last page knows the count
from its own rows, so only a page with more after it counts, in one statement that reads at
most ``EXACT_COUNT_UP_TO + 1`` rows. Beyond that, on PostgreSQL, ``count`` is the planner's
estimate — kept accurate by autovacuum's ANALYZE — since no one pages through a thousand rows
to the last one, and counting a city's year of uses exactly would read all of them on every
page; other databases count exactly.

A list whose rows are read as values with joined columns (``Rows``) is counted on its plain
queryset: counting the values would select, and join, every column in a subquery.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

EXACT_COUNT_UP_TO = 1_000
# No list has this many pages; a larger ?page= is answered as past the end.
MAX_PAGE = 10**9


def bounded_count(queryset: QuerySet) -> int:
    """The number of rows of ``queryset``: exact up to ``EXACT_COUNT_UP_TO``, reading no more
    rows than that; above it, PostgreSQL's estimate (never less than what was counted)."""
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    rows = queryset.order_by()
    counted = rows[: EXACT_COUNT_UP_TO + 1].count()
    if counted <= EXACT_COUNT_UP_TO:
        return counted
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return rows.count()
    sql, params = rows.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):  # Django leaves JSON undecoded for its JSONField to decode
        plan = json.loads(plan)
    return max(int(plan[0]["Plan"]["Plan Rows"]), counted)


class Rows:
    """A queryset to paginate that is counted as it is and read, a page at a time, as ``read``
    makes of its slice (``selectors.use_rows``: the values a list shows, with their joins)."""

    def __init__(self, queryset: QuerySet, read: Callable[[QuerySet], QuerySet]) -> None:
        self.queryset = queryset
        self.read = read

    def __getitem__(self, page: slice) -> QuerySet:
        return self.read(self.queryset[page])


class _Page(Page):
    def __init__(self, rows: list, number: int, paginator: Paginator, *, more: bool) -> None:
        super().__init__(rows, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class BoundedPaginator(Paginator):
    """Django's paginator with ``count`` from ``bounded_count``; a page reads its rows and one
    more, and a page past the last is empty (404) whatever the count says. The last page sets
    the count itself: the rows before it and its own."""

    @cached_property
    def count(self) -> int:
        listed = self.object_list
        return bounded_count(listed.queryset if isinstance(listed, Rows) else listed)

    def validate_number(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:
            # Its offset would not fit the database's integers: past the last page, a 404.
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        more = len(rows) > self.per_page
        if not more:
            self.__dict__["count"] = bottom + len(rows)  # the cached_property, known exactly
        return _Page(rows[: self.per_page], number, self, more=more)


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; 50 per page unless asked otherwise."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = BoundedPaginator

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paged = super().get_paginated_response_schema(schema)
        paged["properties"]["count"]["description"] = (
            f"件数。{EXACT_COUNT_UP_TO:,}件までは正確な数、それを超えるときは概数です"
            "（次のページがあるかは next で分かります）。最後のページでは常に正確な数です。"
        )
        return paged
