"""Pagination of every list: ``?page=2&page_size=100`` (at most 200 per page).

A page costs the same however long the list: its rows are read with one more than the page
holds (so whether another page follows is known without a count). The last page knows the count
from its own rows, so only a page with more after it counts, in one statement that reads at
most ``EXACT_COUNT_UP_TO + 1`` rows. Beyond that, on PostgreSQL, ``count`` is the planner's
estimate — kept accurate by autovacuum's ANALYZE, and cached for ``ESTIMATE_SECONDS`` since
planning it costs more than the page — as no one pages through a thousand rows to the last
one, and counting a city's year of uses exactly would read all of them on every page; other
databases count exactly.

A list read by a statement of its own (``Rows``) counts itself, to the same bound, in the
statement that reads its page; past the bound, its plain queryset is estimated, and while that
estimate is cached its pages are read without counting (the count would read 1,001 rows
only to be replaced by the estimate), so that a page costs the same however long the list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

EXACT_COUNT_UP_TO = 1_000
ESTIMATE_SECONDS = 300
# No list has this many pages; a larger ?page= is answered as past the end.
MAX_PAGE = 10**9


def bounded_count(queryset: QuerySet) -> int:
    """The number of rows of ``queryset``: exact up to ``EXACT_COUNT_UP_TO``, reading no more
    rows than that; above it, as ``beyond_exact`` tells."""
    if not isinstance(queryset, QuerySet):
        return len(queryset)
    rows = queryset.order_by()
    counted = rows[: EXACT_COUNT_UP_TO + 1].count()
    return counted if counted <= EXACT_COUNT_UP_TO else beyond_exact(rows, counted)


def beyond_exact(queryset: QuerySet, counted: int, key: str | None = None) -> int:
    """The number of rows of ``queryset``, which has more than ``EXACT_COUNT_UP_TO`` (it
    counted ``counted``): on PostgreSQL the planner's estimate, never less than ``counted``,
    kept in the cache for ``ESTIMATE_SECONDS`` under ``key`` (by default, its statement) —
    planning it costs more than the page it counts; other databases count exactly."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count()
    query = queryset.order_by().values("pk").query
    statement = query.sql_with_params() if key is None else None
    key = _estimate_key(key or repr(statement))
    estimate = cache.get(key)
    if estimate is None:
        statement = statement or query.sql_with_params()  # compiled once, and only if needed
        estimate = max(_planned_rows(statement, connections[queryset.db]), counted)
        cache.set(key, estimate, ESTIMATE_SECONDS)
    return max(estimate, counted)


def _estimate_key(name: str) -> str:
    return "sango:count:" + hashlib.sha256(name.encode()).hexdigest()


def _planned_rows(statement: tuple[str, tuple[Any, ...]], connection: Any) -> int:
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):  # Django leaves JSON undecoded for its JSONField to decode
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class Rows:
    """A list on the default database read a page at a time by ``read(offset, limit, count)``,
    which returns the page's rows and, if ``count``, the number of rows of the whole list up
    to ``EXACT_COUNT_UP_TO + 1``, read in the same statement (``selectors.use_page``).
    ``queryset()`` makes the same list as a queryset, for a count beyond; while the estimate of
    the list named ``key`` is cached, the page is read without counting and the estimate is its
    count."""

    def __init__(
        self,
        queryset: Callable[[], QuerySet],
        read: Callable[[int, int, bool], tuple[list[Any], int | None]],
        key: str | None = None,
    ) -> None:
        self.make_queryset = queryset  # made only when needed: most pages need none
        self.read = read
        self.key = key  # names the list for its estimate (``beyond_exact``)
        self.counted: int | None = None
        self.estimated = False  # ``counted`` is the cached estimate

    @cached_property
    def queryset(self) -> QuerySet:
        return self.make_queryset()

    def __getitem__(self, page: slice) -> list[Any]:
        estimate = None
        if self.key is not None and connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            estimate = cache.get(_estimate_key(self.key))
        rows, counted = self.read(page.start, page.stop - page.start, estimate is None)
        self.counted, self.estimated = (counted, False) if estimate is None else (estimate, True)
        return rows


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
        if not isinstance(listed, Rows):
            return bounded_count(listed)
        if listed.counted is None:
            return bounded_count(listed.queryset)
        if listed.estimated or listed.counted <= EXACT_COUNT_UP_TO:
            return listed.counted
        return beyond_exact(listed.queryset, listed.counted, listed.key)

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
