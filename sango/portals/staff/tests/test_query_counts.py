"""The staff pages' query counts stay flat between 1 and 50 cases: nothing is fetched per row."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sango.core.tests import factories as f
from sango.portals.staff import selectors


def _case(clerk, boss):
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.approved_application(mother=mother, grants={"stay": 2}, staff=clerk, boss=boss)
    f.reimbursement(voucher=f.voucher_for(application), by=clerk)
    f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(15)), staff=clerk)
    return application


def _counts(client, pages) -> dict[str, int]:
    counts = {}
    for name, method, url, data in pages:
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data or {})
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_every_listing_page_costs_the_same_with_1_and_50_cases(
    client_for, clerk, boss, monkeypatch
):
    # A step of the inbox is counted once it fills its page; with one row a page, every step
    # with work waiting is counted in both rounds, and only what is fetched per row could differ.
    monkeypatch.setattr(selectors, "INBOX_ROWS", 1)
    first = _case(clerk, boss)
    pages = [
        ("inbox", "get", reverse("staff:inbox"), None),
        ("search", "post", reverse("staff:search_results"), {"q": "シケン"}),
        ("case", "get", reverse("staff:case", args=[first.pk]), None),
        ("reimbursements", "get", reverse("staff:reimbursements"), None),
        ("claims", "get", reverse("staff:claims"), None),
        ("letters of the day", "get", reverse("staff:letters_today"), None),
    ]
    client = client_for(clerk)
    one = _counts(client, pages)
    for _ in range(49):
        _case(clerk, boss)
    fifty = _counts(client, pages)
    assert fifty == one
