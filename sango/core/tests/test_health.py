"""database_is_reachable answers True or False and never raises for database errors."""

import pytest
from django.db import OperationalError

from sango.core import health


@pytest.mark.django_db
def test_database_is_reachable_on_a_working_database():
    assert health.database_is_reachable() is True


def test_database_is_reachable_is_false_when_the_query_fails(monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())

    assert health.database_is_reachable() is False
