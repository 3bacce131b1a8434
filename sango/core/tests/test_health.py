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


def test_the_benchmarks_bare_views_are_not_in_the_sites_urls(client):
    """The load benchmark's bare views are mounted only by its own settings module."""
    assert client.get("/bench/bare/").status_code == 404
    assert client.get("/bench/bare-api/").status_code == 404
