"""The staff office's hot pages on PostgreSQL with 10,000 and 100,000 applications: p50/p95 of
the inbox, a search and a case page, through Django's full request stack (middleware,
session, templates), with each page's query count.

Run with ``make bench-staff`` (or ``python benchmarks/bench_staff.py``). It needs PostgreSQL:
``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/sango_bench``), a database
it drops and creates. Rows are bulk-inserted (a benchmark measures reading, not the services
that wrote them); the case page it opens is a real approved case walked through the services.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg import analyze, database_create, django_setup

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sango_bench")
SIZES = (10_000, 100_000)
ROUNDS = 40


def _fill(upto: int, start: int) -> None:
    """Bulk-insert mothers, infants and applications until there are ``upto`` applications;
    1 in 50 waits in each inbox step, the rest are decided."""
    from django.utils import timezone

    from sango.accounts.models import User
    from sango.applications.models import Application
    from sango.mothers.models import Infant, Mother
    from sango.municipalities.models import Municipality, Office

    soja = Municipality.objects.get(code="332089")
    office = Office.objects.get(municipality=soja, code="kodomo")
    author = User.objects.get(username="bench-clerk")
    now = timezone.now()
    states = ["submitted", "interviewed"] + ["approved"] * 40 + ["rejected"] * 4 + ["expired"] * 4
    for first in range(start, upto, 5000):
        last = min(first + 5000, upto)
        mothers = Mother.objects.bulk_create(
            Mother(
                municipality=soja,
                name=f"性能 花子{n}",
                name_kana=f"セイノウ ハナコ{n}",
                birth_date=date(1985, 1, 1) + timedelta(days=n % 5000),
                postal_code="719-1131",
                address="岡山県総社市中央（ベンチマーク）",
                phone=f"090-{n // 10000:04d}-{n % 10000:04d}",
            )
            for n in range(first, last)
        )
        Infant.objects.bulk_create(
            Infant(mother=m, birth_date=date.today() - timedelta(days=30 + i % 300))
            for i, m in enumerate(mothers)
        )
        Application.objects.bulk_create(
            Application(
                municipality=soja,
                office=office,
                mother=m,
                status=states[i % len(states)],
                channel="in_person",
                tier="taxable",
                tier_basis="ledger" if i % 7 else "",
                submitted_at=now - timedelta(days=i % 30, hours=i % 24),
                created_by=author,
                assigned_to=author,
            )
            for i, m in enumerate(mothers)
        )


def _timed(client, method: str, url: str, data=None) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    call(url, data)  # warm
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        response = call(url, data)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        call(url, data)
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    database_create(URL)
    django_setup(URL)
    from django.test import Client

    from sango.core.tests import factories as f

    f.load_programmes()
    clerk = f.clerk(username="bench-clerk")
    case = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), grants={"stay": 3}, staff=clerk
    )
    client = Client()
    client.force_login(clerk)
    filled = 0
    for size in SIZES:
        began = time.perf_counter()
        _fill(size, filled)
        filled = size
        analyze()
        print(
            f"staff pages: {size:,} applications (inserted in {time.perf_counter() - began:.0f} s)"
        )
        pages = [
            ("inbox", "get", "/staff/", None),
            ("search by kana", "post", "/staff/search/results/", {"q": "ｾｲﾉｳ ﾊﾅｺ1234"}),
            ("search by phone", "post", "/staff/search/results/", {"q": "090-0001-2345"}),
            ("search by 和暦 birth date", "post", "/staff/search/results/", {"q": "S60.3.1"}),
            ("case page", "get", f"/staff/cases/{case.pk}/", None),
        ]
        for name, method, url, data in pages:
            p50, p95, queries = _timed(client, method, url, data)
            print(f"  {name:<26} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
