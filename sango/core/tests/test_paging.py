"""``head_and_total``: the first rows of a list and its total, counted only when needed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sango.core.paging import head_and_total
from sango.core.tests import factories as f
from sango.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities() -> list[Municipality]:
    f.load_programmes()
    return list(Municipality.objects.order_by("code"))


@pytest.mark.parametrize("more", [1, 0])
def test_a_list_no_longer_than_the_limit_is_its_own_total(municipalities, more):
    limit = len(municipalities) + more
    with CaptureQueriesContext(connection) as queries:
        rows, total = head_and_total(Municipality.objects.order_by("code"), limit)
    assert rows == municipalities
    assert total == len(municipalities)
    # The limit reached, the list might go on: only then is it counted.
    assert len(queries) == (1 if more else 2)


def test_a_longer_list_shows_its_head_and_counts_the_rest(municipalities):
    rows, total = head_and_total(Municipality.objects.order_by("code"), 1)
    assert rows == municipalities[:1]
    assert total == len(municipalities) > 1
