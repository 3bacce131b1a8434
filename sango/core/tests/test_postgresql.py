"""``sango.core.postgresql``: on PostgreSQL, moments are read by psycopg's own loader, and read
as Django's loader reads them — aware, in UTC, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from psycopg.types.datetime import TimestamptzLoader

from sango.core.postgresql.base import LOADER, TIMESTAMPTZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's loader; CI runs this on PostgreSQL")


def test_a_cursor_reads_moments_with_psycopgs_loader() -> None:
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ, 0) is LOADER
    assert LOADER.__module__ != TimestamptzLoader.__module__, "psycopg's C loader is installed"


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=9))),
        datetime(1989, 1, 7, 23, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_a_moment_reads_back_as_written(moment) -> None:
    Session.objects.create(session_key="moment", session_data="", expire_date=moment)
    read = Session.objects.get(session_key="moment").expire_date
    assert read == moment and read.tzinfo is UTC
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        assert cursor.fetchone()[0] == moment
