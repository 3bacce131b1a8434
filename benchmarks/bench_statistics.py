"""実績 for one fiscal year over 1,000,000 stored uses on PostgreSQL: the statistics page's
selectors (``sango.reports.page.statistics_for``, the ORM queries the page runs) timed beside a
hand-written SQL aggregate of the same figures, in the same run, and the ratio (target ≤ 3×).

Run with ``make bench-statistics`` (or ``python benchmarks/bench_statistics.py [N]``; N uses,
default 1,000,000). It needs PostgreSQL: ``BENCH_STATISTICS_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/bench_statistics``), a database it creates and drops
afterwards. Rows are COPYed in (a benchmark measures reading, not the services that wrote
them): 総社市, 令和7年度 (FY2025), 100,000 mothers with a usage card each, 20,000 applications
decided in the year, the uses spread over the year's days, the three services (stays of one to
three nights, days, visits), the three tiers and the city's facilities in realistic shares, 3%
reimbursed (no facility) and 1% void, their subsidy and copay as the programme pays them.
``BENCH_VERBOSE=1`` also prints the page's slowest queries.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg import (
    USE_COLUMNS,
    analyze,
    copy_rows,
    database_for_the_run,
    django_setup,
    mothers_copy,
)

URL = os.environ.get(
    "BENCH_STATISTICS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_statistics"
)
USES = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
MOTHERS = max(USES // 10, 100)
APPLICATIONS = max(USES // 50, 10)
ROUNDS = 5
FY = 2025
FIRST, DAYS = date(FY, 4, 1), (date(FY + 1, 3, 31) - date(FY, 4, 1)).days + 1
# 総社市 from 2025-04-01 (the 市の負担額 table): yen per unit by tier and service.
SHARES = {
    "welfare": {"stay": 26000, "day": 13000, "visit": 10000},
    "tax_exempt": {"stay": 21500, "day": 11250, "visit": 8000},
    "taxable": {"stay": 17000, "day": 7000, "visit": 3500},
}
FEES = {"stay": 30000, "day": 12000, "visit": 6000}


def _fill(clerk) -> None:
    """Mothers, infants, usage cards, applications with their decisions, and the uses."""
    import json

    from django.db import connection

    from sango.mothers.models import Infant
    from sango.vouchers.models import Voucher

    rng = random.Random(20251)
    soja = clerk.municipality
    now = datetime(2026, 4, 1, 12, 0).astimezone()
    base = mothers_copy(count=MOTHERS, municipality_id=soja.pk, now=now) - 1
    births = {
        n: FIRST - timedelta(days=60) + timedelta(days=rng.randrange(DAYS))
        for n in range(1, MOTHERS + 1)
    }
    copy_rows(
        Infant._meta.db_table, ["mother_id", "birth_date"], ((base + n, births[n]) for n in births)
    )
    copy_rows(
        Voucher._meta.db_table,
        [
            "id",
            "number",
            "municipality_id",
            "mother_id",
            "kind",
            "status",
            "tier",
            "tier_basis",
            "valid_from",
            "issued_by_id",
            "issued_at",
        ],
        (
            (
                base + n,
                f"332089-B{n:012d}",
                soja.pk,
                base + n,
                "usage_card",
                "active",
                rng.choices(("taxable", "tax_exempt", "welfare"), (70, 20, 10))[0],
                "ledger",
                births[n],
                clerk.pk,
                now,
            )
            for n in range(1, MOTHERS + 1)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, tier FROM {Voucher._meta.db_table} WHERE kind = 'usage_card'")
        tiers = dict(cursor.fetchall())
    _fill_applications(clerk, base, rng, now)
    from sango.facilities.models import Contract

    offering: dict[str, list[int]] = {s: [] for s in FEES}
    for contract in Contract.objects.filter(municipality=soja):
        for service in set(contract.services) & set(FEES):
            offering[service].append(contract.facility_id)

    def uses():
        for n in range(USES):
            mother = base + 1 + rng.randrange(MOTHERS)
            tier = tiers[mother]
            service = rng.choices(("stay", "day", "visit"), (40, 45, 15))[0]
            quantity = rng.choices((1, 2, 3), (60, 30, 10))[0] if service == "stay" else 1
            reimbursed = rng.random() < 0.03
            facility = (
                None if reimbursed or not offering[service] else rng.choice(offering[service])
            )
            subsidy = min(SHARES[tier][service], FEES[service]) * quantity
            copay = FEES[service] * quantity - subsidy
            void = rng.random() < 0.01
            yield (
                mother,
                soja.pk,
                facility,
                "reimbursement" if facility is None else "facility",
                "void" if void else "recorded",
                service,
                FIRST + timedelta(days=rng.randrange(DAYS)),
                quantity,
                1,
                tier,
                FEES[service],
                0,
                subsidy,
                copay,
                json.dumps([{"source": "municipality", "amount": subsidy}]),
                "{}",
                date(2025, 4, 1),
                f"bench-{n}",
                "",
                clerk.pk,
                now,
                "二重の記録" if void else "",
            )

    copy_rows("usage_use", USE_COLUMNS, uses())


def _fill_applications(clerk, base: int, rng: random.Random, now: datetime) -> None:
    from sango.applications.models import Application, Decision

    start = datetime(FY, 4, 1, 9, 0).astimezone()
    submitted = [
        start + timedelta(days=rng.randrange(DAYS - 20), hours=rng.randrange(8))
        for _ in range(APPLICATIONS)
    ]
    copy_rows(
        Application._meta.db_table,
        [
            "municipality_id",
            "mother_id",
            "status",
            "channel",
            "by_proxy",
            "proxy_name",
            "proxy_relationship",
            "proxy_id_document",
            "attorney_letter_received",
            "residence",
            "home_municipality",
            "tier",
            "tier_basis",
            "needs",
            "requested",
            "submitted_at",
            "rejection_reason",
            "documents_received",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
        (
            (
                clerk.municipality_id,
                base + 1 + i,
                "approved" if i % 10 else "rejected",
                "in_person",
                False,
                "",
                "",
                "",
                False,
                "resident",
                "",
                "taxable",
                "ledger",
                "[]",
                "{}",
                submitted[i],
                "",
                "[]",
                clerk.pk,
                now,
                now,
            )
            for i in range(APPLICATIONS)
        ),
    )
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))[-APPLICATIONS:]
    copy_rows(
        Decision._meta.db_table,
        [
            "application_id",
            "municipality_id",
            "kind",
            "fiscal_year",
            "sequence",
            "decided_by_id",
            "decided_at",
            "reason",
        ],
        (
            (
                pk,
                clerk.municipality_id,
                "approval" if i % 10 else "rejection",
                FY,
                100000 + i,
                clerk.pk,
                submitted[i] + timedelta(days=rng.randrange(1, 12)),
                "",
            )
            for i, pk in enumerate(ids)
        ),
    )
    Application.objects.filter(pk__in=ids).update(decided_at=None)


HAND_SQL = """
-- every use figure in one pass: month, service, tier, facility, month x service and the year
SELECT grouping(extract(month FROM u.day), u.service, u.tier, u.facility_id) AS g,
       extract(month FROM u.day) AS month, u.service, u.tier, u.facility_id,
       count(DISTINCT v.mother_id), count(*), sum(u.quantity),
       sum(CASE WHEN u.service = 'stay' THEN u.quantity + 1
                WHEN u.service = 'day' THEN u.quantity ELSE 1 END),
       sum(u.subsidy), sum(u.copay)
  FROM usage_use u JOIN vouchers_voucher v ON v.id = u.voucher_id
 WHERE u.municipality_id = %(m)s AND u.status = 'recorded' AND u.day BETWEEN %(a)s AND %(b)s
 GROUP BY GROUPING SETS ((extract(month FROM u.day)), (u.service), (u.tier), (u.facility_id),
                         (extract(month FROM u.day), u.service), ());
-- the baby's age at use, in whole months
SELECT CASE WHEN m < 1 THEN 0 WHEN m < 2 THEN 1 WHEN m < 3 THEN 2 WHEN m < 4 THEN 3
            WHEN m < 6 THEN 4 WHEN m < 12 THEN 6 ELSE 12 END AS band,
       count(DISTINCT mother_id), count(DISTINCT id)
  FROM (SELECT u.id, v.mother_id,
               extract(year FROM age(u.day, i.birth_date)) * 12
               + extract(month FROM age(u.day, i.birth_date)) AS m
          FROM usage_use u JOIN vouchers_voucher v ON v.id = u.voucher_id
          JOIN mothers_infant i ON i.mother_id = v.mother_id AND i.birth_date <= u.day
         WHERE u.municipality_id = %(m)s AND u.status = 'recorded'
           AND u.day BETWEEN %(a)s AND %(b)s) ages
 GROUP BY 1;
-- subsidy per service and funding source
SELECT u.service, f->>'source', sum((f->>'amount')::int)
  FROM usage_use u CROSS JOIN LATERAL jsonb_array_elements(u.funding) f
 WHERE u.municipality_id = %(m)s AND u.status = 'recorded' AND u.day BETWEEN %(a)s AND %(b)s
 GROUP BY 1, 2;
-- applications received, decisions per month and kind, days to decision
SELECT extract(month FROM submitted_at AT TIME ZONE 'Asia/Tokyo'), count(*)
  FROM applications_application
 WHERE municipality_id = %(m)s
   AND (submitted_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN %(a)s AND %(b)s GROUP BY 1;
SELECT extract(month FROM d.decided_at AT TIME ZONE 'Asia/Tokyo'), d.kind, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (d.decided_at AT TIME ZONE 'Asia/Tokyo')::date
                                          - (a.submitted_at AT TIME ZONE 'Asia/Tokyo')::date)
  FROM applications_decision d JOIN applications_application a ON a.id = d.application_id
 WHERE d.municipality_id = %(m)s AND d.kind IN ('approval', 'rejection')
   AND (d.decided_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN %(a)s AND %(b)s
 GROUP BY ROLLUP (1, 2);
-- 請求確定額 per month of use, and the budget
SELECT extract(month FROM u.day), sum(l.amount)
  FROM billing_claimline l JOIN billing_facilityclaim c ON c.id = l.claim_id
  JOIN usage_use u ON u.id = l.use_id
 WHERE c.municipality_id = %(m)s AND c.status = 'approved' AND l.status = 'accepted'
   AND u.status = 'recorded' AND u.day BETWEEN %(a)s AND %(b)s GROUP BY 1;
SELECT extract(month FROM u.day), sum(r.amount)
  FROM reimbursements_reimbursement r JOIN usage_use u ON u.id = r.use_id
 WHERE u.municipality_id = %(m)s AND r.status = 'approved' AND u.status = 'recorded'
   AND u.day BETWEEN %(a)s AND %(b)s GROUP BY 1;
SELECT amount FROM reports_budget WHERE municipality_id = %(m)s AND fiscal_year = %(y)s;
"""


def _hand_sql(municipality_id: int) -> int:
    """The hand-written statements; returns how many rows they gave (so nothing is skipped)."""
    from django.db import connection

    params = {"m": municipality_id, "a": FIRST, "b": date(FY + 1, 3, 31), "y": FY}
    rows = 0
    with connection.cursor() as cursor:
        for statement in HAND_SQL.split(";"):
            body = "\n".join(line for line in statement.splitlines() if not line.startswith("--"))
            if body.strip():
                cursor.execute(body, params)
                rows += len(cursor.fetchall())
    return rows


def _timed(action) -> tuple[float, object]:
    action()  # warm the cache as a page seen before would be
    times, result = [], None
    for _ in range(ROUNDS):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    with database_for_the_run(URL):
        django_setup(URL)
        _run()


def _run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sango.core.tests import factories as f
    from sango.reports.fiscal import FiscalYear
    from sango.reports.page import statistics_for
    from sango.reports.services import budget_set

    f.load_programmes()
    clerk = f.clerk(username="bench-clerk")
    budget_set(actor=clerk, municipality_id=clerk.municipality_id, fiscal_year=FY, amount=10**10)
    began = time.perf_counter()
    _fill(clerk)
    # The page's partial covering index is then read by index only.
    analyze(vacuum=True)
    print(
        f"filled {USES:,} uses, {MOTHERS:,} mothers, {APPLICATIONS:,} applications "
        f"in {time.perf_counter() - began:.0f} s"
    )
    year = FiscalYear(FY)
    with CaptureQueriesContext(connection) as queries:
        page = statistics_for(clerk, year)
    if os.environ.get("BENCH_VERBOSE"):
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:150]}")
    recorded = page.uses.monthly.rows[-1][2]
    print(
        f"page: {len(queries)} queries; {recorded:,} uses counted, "
        f"{page.uses.monthly.rows[-1][1]:,} mothers, subsidy {page.claim.subsidy:,} yen"
    )
    orm, _ = _timed(lambda: statistics_for(clerk, year))
    sql, rows = _timed(lambda: _hand_sql(clerk.municipality_id))
    print(f"statistics page selectors (ORM): {orm * 1000:8.0f} ms  (median of {ROUNDS})")
    print(f"hand-written SQL aggregate:      {sql * 1000:8.0f} ms  ({rows} rows)")
    print(f"ratio: {orm / sql:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
