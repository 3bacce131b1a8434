"""The API's hot paths cost a fixed number of queries, counted as a client signed in with a
token meets them (the token's query included; savepoints, which only the test transaction
adds, left out): recording a use, its retry and its refusal, a voucher check, and a page of
uses — the same with 10 uses as with 100. Then the page itself: a bounded count, links that do
not depend on it, and the rows of the list written out as the fields describe them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework import serializers
from rest_framework.test import APIClient

from sango.api import pagination, selectors
from sango.api.serializers.usage import UseOut, UseWriter
from sango.api.serializers.vouchers import VerifyOut
from sango.core.tests import factories as f
from sango.reimbursements.services import reimbursement_approve
from sango.usage.models import Use
from sango.usage.services import use_correct, use_record, use_void

USES = "/api/uses/"
VERIFY = "/api/vouchers/verify/"
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def signed_in(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def shown(voucher) -> dict:
    return {"number": voucher.number, "mother_birth_date": voucher.mother.birth_date.isoformat()}


def a_night(voucher, **extra) -> dict:
    night = {"service": "stay", "day": f.days_ago(1).isoformat(), "quantity": 1, "fee": 30000}
    return {**shown(voucher), **night, **extra}


def queries(call) -> tuple[object, int]:
    """``call()``'s response and the number of queries it cost, savepoints left out."""
    with CaptureQueriesContext(connection) as captured:
        response = call()
    sql = [q["sql"] for q in captured.captured_queries]
    return response, len([s for s in sql if not s.startswith(SAVEPOINTS)])


def a_voucher(grants: dict[str, int] | None = None):
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.approved_application(mother=mother, grants=grants or {"stay": 5, "day": 5})
    return f.voucher_for(application)


def recorded(voucher, staff, key: str, **extra) -> Use:
    fields = {"service": "stay", "day": f.days_ago(1), "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


# --- recording a use, checking a voucher ------------------------------------------------------


# The use and its audit event are one statement on PostgreSQL (a data-modifying WITH), two on
# SQLite.
RECORDING = 6 if connection.vendor == "postgresql" else 7


def test_recording_a_use_costs_six_queries(kaneko, voucher) -> None:
    # The token with its user and the facility; the voucher shown, with the limits on checks
    # and the contract read alongside; the mother's lock; the voucher's, which tells whether
    # the key was used; infants, interview, uses and grants together; the use with its audit
    # event. The answer is rendered from what is already loaded.
    client, night = signed_in(kaneko), a_night(voucher)

    def send():
        return client.post(USES, night, format="json", HTTP_IDEMPOTENCY_KEY="visit-1")

    response, count = queries(send)
    assert response.status_code == 201, response.json()
    assert count == RECORDING
    assert response.json()["tier_display"] and response.json()["facility"]["slug"]
    # A retry: the same two before the transaction, the locks, then the use under the key.
    again, count = queries(send)
    assert again.status_code == 200 and again.json() == response.json()
    assert count == 5


def test_recording_costs_the_same_with_more_uses_and_births(kaneko) -> None:
    """Flat in data size: the mother's earlier uses and her twins are read in the one query."""
    mother = f.mother_with_baby(born=f.days_ago(30), twins=True)
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7, "day": 7}))
    for day in range(2, 8):
        recorded(voucher, kaneko, f"day-{day}", service="day", day=f.days_ago(day), fee=10000)
    client, night = signed_in(kaneko), a_night(voucher)
    response, count = queries(
        lambda: client.post(USES, night, format="json", HTTP_IDEMPOTENCY_KEY="n")
    )
    assert response.status_code == 201, response.json()
    assert count == RECORDING
    assert response.json()["counted"] == {"stay": 1}


def test_a_refused_use_costs_five_queries(kaneko, voucher) -> None:
    client, nights = signed_in(kaneko), a_night(voucher, quantity=4)  # 3 were granted
    response, count = queries(
        lambda: client.post(USES, nights, format="json", HTTP_IDEMPOTENCY_KEY="k")
    )
    assert response.status_code == 422
    assert count == 5  # as a use recorded, without the two inserts


def test_checking_a_voucher_costs_three_queries(kaneko, voucher) -> None:
    # The token; the voucher with the limits and the contract; infants, uses and grants.
    client, credentials = signed_in(kaneko), shown(voucher)
    recorded(voucher, kaneko, "earlier")
    response, count = queries(lambda: client.post(VERIFY, credentials, format="json"))
    assert response.status_code == 200, response.json()
    assert response.json()["remaining"]["stay"]["used"] == 1
    assert count == 3


def test_a_check_is_written_out_as_its_fields_describe_it(kaneko, voucher) -> None:
    """``VerifyOut`` writes its fields by hand for speed; DRF's generic walk must agree."""
    recorded(voucher, kaneko, "earlier")
    for name in ("花子", None):
        check = selectors.voucher_check(voucher, show_name=name is not None)
        fast = VerifyOut(check).data
        generic = serializers.Serializer.to_representation(VerifyOut(check), check)
        assert fast == generic and list(fast) == list(generic)
        assert (fast["mother_name"] is None) == (name is None)


# --- a page of uses ---------------------------------------------------------------------------


def uses_in_the_city(kaneko, n: int) -> None:
    """``n`` uses of 総社市 at かねこ助産院 (five nights and five days per voucher)."""
    made = Use.objects.count()
    while made < n:
        voucher = a_voucher()
        for day in range(1, 6):
            for service, fee in (("stay", 30000), ("day", 10000)):
                if made < n:
                    key = f"{voucher.pk}-{service}-{day}"
                    recorded(voucher, kaneko, key, service=service, day=f.days_ago(day), fee=fee)
                    made += 1


def test_a_page_of_uses_costs_two_queries_with_10_or_100_uses(kaneko, clerk) -> None:
    client = signed_in(clerk)
    uses_in_the_city(kaneko, 10)
    ten, count_at_10 = queries(lambda: client.get(USES))
    uses_in_the_city(kaneko, 100)
    hundred, count_at_100 = queries(lambda: client.get(USES))
    assert (ten.json()["count"], hundred.json()["count"]) == (10, 100)
    assert count_at_10 == count_at_100 == 2  # the token, the page (with its count)
    assert len(hundred.json()["results"]) == 50


def test_the_count_reads_the_uses_without_the_columns_of_the_page(kaneko, clerk) -> None:
    client = signed_in(clerk)
    uses_in_the_city(kaneko, 12)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(USES, {"page_size": 5}).json()["count"] == 12
    (page,) = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    # Counted in the page's own statement, by a subquery that joins nothing and stops at 1,001.
    count = page[page.index("(SELECT COUNT(*)") : page.index(") n)")]
    assert "JOIN" not in count and "LIMIT 1001" in count and "LIMIT 6 OFFSET 0" in page
    # The last page counts the rows before it and its own, without a query for it.
    last, cost = queries(lambda: client.get(USES, {"page_size": 5, "page": 3}))
    assert last.json()["count"] == 12 and len(last.json()["results"]) == 2
    assert cost == 2


def test_pages_know_what_follows_without_the_count(kaneko, clerk, monkeypatch) -> None:
    client = signed_in(clerk)
    uses_in_the_city(kaneko, 12)
    first = client.get(USES, {"page_size": 5}).json()
    assert first["count"] == 12 and first["previous"] is None
    assert first["next"].endswith("page=2&page_size=5")
    last = client.get(USES, {"page_size": 5, "page": 3}).json()
    assert len(last["results"]) == 2 and last["next"] is None and last["previous"]
    assert client.get(USES, {"page_size": 5, "page": 4}).status_code == 404
    # Beyond the exact count, PostgreSQL's estimate stands in for it; other databases count.
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 5)
    page = client.get(USES, {"page_size": 5, "page": 2}).json()
    assert page["count"] >= 6 if connection.vendor == "postgresql" else page["count"] == 12
    assert page["next"] and page["previous"] and len(page["results"]) == 5
    # The estimate is planned once and kept a while: the next page does not plan it again,
    # nor count rows it would replace by the estimate — a page costs the same however long.
    with CaptureQueriesContext(connection) as captured:
        again = client.get(USES, {"page_size": 5})
    assert again.json()["count"] == page["count"]
    assert again.json()["next"] and len(again.json()["results"]) == 5
    statements = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":
        assert len(statements) == 2 and "COUNT(" not in statements[-1]
    else:  # SQLite counts exactly
        assert len(statements) == 3 and "COUNT(" in statements[-1]


def test_the_count_reads_no_more_rows_than_it_counts_exactly(kaneko, monkeypatch) -> None:
    uses_in_the_city(kaneko, 8)
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 5)
    with CaptureQueriesContext(connection) as captured:
        counted = pagination.bounded_count(Use.objects.all())
    assert "LIMIT 6" in captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert counted >= 6 and captured.captured_queries[-1]["sql"].startswith("EXPLAIN")
    else:
        assert counted == 8
    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 10)
    assert pagination.bounded_count(Use.objects.all()) == 8


def test_a_use_is_written_out_as_its_fields_describe_it(kaneko, clerk, boss, voucher) -> None:
    """``UseOut`` writes its fields by hand for speed; DRF's generic walk must agree."""
    night = recorded(voucher, kaneko, "a")
    two_days = {"start": f.at(f.days_ago(3), 10), "end": f.at(f.days_ago(2), 10)}
    stay = recorded(voucher, kaneko, "b", day=None, quantity=None, **two_days)
    corrected = use_correct(use=night, actor=kaneko, reason="料金の訂正", fee=28000)
    use_void(use=stay, actor=kaneko, reason="入力誤り")
    paid = reimbursement_approve(
        reimbursement=f.reimbursement(voucher=voucher, by=clerk), actor=boss
    )
    uses = list(Use.objects.select_related("voucher", "facility", "municipality"))
    assert {u.pk for u in uses} == {night.pk, stay.pk, corrected.pk, paid.use_id}
    # The list reads plain values (``selectors.use_page``): each row must be written out the same.
    rows = {row["id"]: row for row in selectors.use_page(clerk)[0:100]}
    for use in uses:
        fast = UseOut(use).data
        generic = serializers.Serializer.to_representation(UseOut(use), use)
        assert fast == generic and list(fast) == list(generic), use
        assert UseWriter()(rows[use.pk]) == fast, use
