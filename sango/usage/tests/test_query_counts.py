"""Recording a use costs the round trips its guarantees need and no more, however many uses
the mother has: her row lock, the voucher's (which tells whether the key was used), what the
rules read (infants, interview, uses and grants, in one query), then the use and its audit
event (one statement on PostgreSQL). Savepoints, which only the test transaction
adds, are left out of the counts."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sango.core.errors import Refused
from sango.core.tests import factories as f
from sango.programs.rules_for import rules_on
from sango.usage.models import Use
from sango.usage.selectors import remaining_by_cap, voucher_facts
from sango.usage.services import use_record
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def voucher() -> Voucher:
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.approved_application(mother=mother, grants={"stay": 5, "day": 5})
    return f.voucher_for(application)


@pytest.fixture
def staff():
    return f.facility_staff("kaneko-josanin")


def record(staff, voucher: Voucher, key: str, **extra) -> Use:
    fields = {"service": "stay", "day": f.days_ago(1), "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


def statements(call) -> list[str]:
    """The SQL ``call()`` ran, without the savepoints of the test transaction."""
    # A refusal's statements are counted too.
    with CaptureQueriesContext(connection) as queries, contextlib.suppress(Refused):
        call()
    savepoints = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(savepoints)]


def tables(sql: list[str]) -> list[str]:
    """The table each statement is about: the first it reads (FROM) or writes (INTO)."""
    return [re.search(r'(?:FROM|INTO) "?(\w+)"?', s).group(1) for s in sql]


def test_a_use_is_recorded_in_four_statements_or_five(staff, voucher) -> None:
    sql = statements(lambda: record(staff, voucher, "k1"))
    postgresql = connection.vendor == "postgresql"
    assert tables(sql)[:3] == [
        "mothers_mother",  # her row, locked first: caps count every voucher she holds
        "vouchers_voucher",  # locked, with its municipality, application and the key's use
        "mothers_infant",  # with the interview, her uses since the delivery and the grants
    ]
    assert all(f'"{t}"' in sql[2] for t in ("applications_interview", "applications_grant"))
    assert '"idempotency_key"' in sql[1]
    if postgresql:  # the locks, then the use and its audit event in one statement
        assert sql[0].endswith("FOR UPDATE") and sql[1].endswith("FOR UPDATE OF v")
        (both,) = sql[3:]
        assert both.startswith('WITH linked AS (INSERT INTO "usage_use"')
        assert 'INSERT INTO "audit_auditevent"' in both
    else:
        assert tables(sql[3:]) == ["usage_use", "audit_auditevent"]
        assert sql[-2].startswith("INSERT") and sql[-1].startswith("INSERT")


def test_a_retry_costs_the_locks_and_the_key(staff, voucher) -> None:
    first = record(staff, voucher, "k1")
    found: list[Use] = []
    sql = statements(lambda: found.append(record(staff, voucher, "k1")))
    assert tables(sql) == ["mothers_mother", "vouchers_voucher", "usage_use"]
    assert found[0].pk == first.pk and found[0].retried and not first.retried
    # What the answer shows is attached: no query to render it.
    with CaptureQueriesContext(connection) as queries:
        assert (found[0].voucher.number, found[0].facility.slug) == (
            voucher.number,
            "kaneko-josanin",
        )
        assert found[0].municipality.code == f.SOJA
    assert not queries.captured_queries


def test_what_remains_is_one_query_with_the_facts(staff, voucher) -> None:
    """``voucher_facts`` reads what the three queries read, and the figures are the same."""
    record(staff, voucher, "k1")
    record(staff, voucher, "k2", service="day", day=f.days_ago(2), fee=10000)
    rules = rules_on(f.SOJA, f.days_ago(0))
    fresh = Voucher.objects.select_related("municipality").get(pk=voucher.pk)
    found: list[dict] = []

    def with_facts() -> None:
        facts = voucher_facts(fresh)
        found.append(remaining_by_cap(voucher=fresh, rules=rules, day=f.days_ago(0), facts=facts))

    assert len(statements(with_facts)) == 1
    assert found[0] == remaining_by_cap(voucher=fresh, rules=rules, day=f.days_ago(0))
    assert found[0]["stay"]["used"] == 1 and found[0]["stay"]["limit"] == 5


def test_a_refusal_reads_and_writes_nothing_more(staff, voucher) -> None:
    record(staff, voucher, "k1", quantity=5)
    sql = statements(lambda: record(staff, voucher, "k2"))
    assert len(sql) == 3 and not any(s.startswith("INSERT") for s in sql)


def test_the_count_does_not_grow_with_her_uses(staff, voucher) -> None:
    one = statements(lambda: record(staff, voucher, "k1"))
    for n in range(2, 5):
        record(staff, voucher, f"k{n}", day=f.days_ago(n))
    record(staff, voucher, "day-1", service="day", day=f.days_ago(2))
    assert len(statements(lambda: record(staff, voucher, "k9", day=f.days_ago(9)))) == len(one)


def test_what_remains_is_three_queries(voucher) -> None:
    rules = rules_on(f.SOJA, f.days_ago(0))
    fresh = Voucher.objects.select_related("mother", "municipality").get(pk=voucher.pk)
    sql = statements(lambda: remaining_by_cap(voucher=fresh, rules=rules, day=f.days_ago(0)))
    assert tables(sql) == ["mothers_infant", "usage_use", "applications_grant"]
    # The infants are read once whatever asks for the delivery date afterwards.
    with CaptureQueriesContext(connection) as queries:
        assert fresh.mother.delivery_date == f.days_ago(30)
    assert not queries.captured_queries


def test_a_refusal_ends_its_transaction_without_a_rollback(staff, voucher) -> None:
    """Nothing is written before the rules say no, so the transaction ends as a successful one
    does (here the test transaction's savepoint is released): on PostgreSQL a rollback would
    also throw away every statement the connection has prepared."""
    record(staff, voucher, "k1", quantity=5)
    with CaptureQueriesContext(connection) as queries, pytest.raises(Refused):
        record(staff, voucher, "k2")
    run = [q["sql"] for q in queries.captured_queries]
    assert run[-1].startswith("RELEASE SAVEPOINT")
    assert not any(sql.startswith("ROLLBACK") for sql in run)
    assert Use.objects.filter(voucher=voucher).count() == 1


def test_prepared_statements_outlive_a_refusal(staff, voucher) -> None:
    """On PostgreSQL the hot path's statements stay prepared when a use is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; CI runs this on PostgreSQL")

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    for n in range(1, 6):  # psycopg prepares a statement the fifth time it runs
        record(staff, voucher, f"k{n}", day=f.days_ago(n))
    before = prepared()
    with pytest.raises(Refused):  # the sixth night: the cap of five is used up
        record(staff, voucher, "k6", day=f.days_ago(6))
    assert before >= 3 and prepared() >= before
