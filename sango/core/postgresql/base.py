"""Django's PostgreSQL backend, reading ``timestamptz`` with psycopg's C loader.

Django reads every ``timestamptz`` through a subclass of psycopg's pure-Python loader, which
only puts its own time zone on the result; Python's loader then costs more than anything else
on a page of uses (four moments a row). When Django's time zone for the connection is UTC
(``USE_TZ`` and no ``TIME_ZONE`` for the database, as in every Sango setting), Django also sets
the session's ``TimeZone`` to UTC, and psycopg's own loader — C when psycopg's binary package is
installed — returns the same aware datetimes in ``datetime.timezone.utc``. So each cursor uses
that loader instead (Django itself registers a loader per cursor when the time zones disagree).

Use it as ``ENGINE = "sango.core.postgresql"`` (``settings.base`` does, for a PostgreSQL
``DATABASE_URL``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.pq import Format

# psycopg's own loader: the C one when psycopg's binary or C package is installed.
TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> Any:
        cursor = super().create_cursor(name)
        if self.timezone is UTC and self.timezone_name == "UTC":
            cursor.adapters.register_loader(TIMESTAMPTZ, LOADER)
        return cursor
