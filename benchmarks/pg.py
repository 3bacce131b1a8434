"""What the PostgreSQL benchmarks share: a database of their own that each run creates and drops,
Django set up and migrated on it, rows written with COPY and fresh planner statistics.

A benchmark measures reading, so its rows go in the fastest way PostgreSQL has rather than
through the services; only what it times runs the site's own code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime


def _server_and_name(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base, name


def database_drop(url: str) -> None:
    """Drop the database named at the end of ``url``, closing what is still connected to it."""
    import psycopg

    base, name = _server_and_name(url)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_create(url: str) -> None:
    """Create the database named at the end of ``url`` empty, dropping one left by a run before."""
    import psycopg

    database_drop(url)
    base, name = _server_and_name(url)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def database_for_the_run(url: str) -> Iterator[None]:
    """A fresh database on ``url`` for the time of the block, dropped afterwards even when the
    run fails (a million rows left behind would fill the benchmark machine's disk)."""
    database_create(url)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        database_drop(url)


def django_setup(url: str | None) -> None:
    """Set Django up with the test settings on ``url`` and migrate; ``None`` keeps the test
    settings' in-memory SQLite (for a benchmark that does not measure the database)."""
    if url is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = url
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sango.config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def next_id(table: str) -> int:
    """The first primary key after the rows ``table`` holds, for rows COPYed with their ids."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """COPY ``rows`` into ``table``; every other NOT NULL column gets its model's default (a
    database column made by Django has none of its own, so COPY would refuse the rows)."""
    import json

    from django.apps import apps
    from django.db import connection

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    extra = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null:
            continue
        default = field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = datetime(2026, 4, 1, 12, 0).astimezone()
        extra[field.column] = (
            json.dumps(default) if field.get_internal_type() == "JSONField" else default
        )
    statement = f"COPY {table} ({', '.join([*columns, *extra])}) FROM STDIN"
    tail = tuple(extra.values())
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *tail))


# The columns of a use row as the benchmarks COPY it (their rows are tuples in this order).
USE_COLUMNS = [
    "voucher_id",
    "municipality_id",
    "facility_id",
    "source",
    "status",
    "service",
    "day",
    "quantity",
    "infants",
    "tier",
    "fee",
    "extras",
    "subsidy",
    "copay",
    "funding",
    "counted",
    "version",
    "idempotency_key",
    "request_digest",
    "recorded_by_id",
    "recorded_at",
    "void_reason",
]


def mothers_copy(*, count: int, municipality_id: int, now: datetime) -> int:
    """``count`` mothers of one municipality with ids in a row after those stored; returns the
    first id (mother ``n`` of the run has id ``first + n``)."""
    from datetime import date

    from sango.mothers.models import Mother

    table = Mother._meta.db_table
    first = next_id(table)
    columns = [
        "id",
        "municipality_id",
        "name",
        "name_kana",
        "birth_date",
        "postal_code",
        "address",
        "phone",
        "created_at",
    ]
    rows = (
        (
            first + n,
            municipality_id,
            f"性能 花子{n}",
            f"セイノウ ハナコ{n}",
            date(1990, 1, 1),
            "719-1131",
            "岡山県総社市中央（ベンチマーク）",
            "090-0000-0000",
            now,
        )
        for n in range(count)
    )
    copy_rows(table, columns, rows)
    return first


def analyze(*, vacuum: bool = False) -> None:
    """Fresh planner statistics, as autovacuum keeps them on a live database; ``vacuum`` also
    sets the visibility map, so an index that covers a query is read by index only."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
