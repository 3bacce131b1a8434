"""The facility portal's hot paths on PostgreSQL: the availability calendar of a facility with
a year of bookings, and recording a use (the service a reception calls, with its cap lock).

Run with ``make bench-facility`` (or ``python benchmarks/bench_facility.py``). It needs
PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/sango_bench``),
a database it drops and creates. The year of bookings is bulk-inserted (a benchmark measures
reading); the vouchers used are real approved cases walked through the services.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_staff import _analyze, _fresh_database, _setup_django

ROUNDS = 40
USES = 60


def _year_of_bookings(facility, mother, author) -> int:
    """Two stays and three day sessions on every day of the past half year and the coming one."""
    from django.utils import timezone

    from sango.bookings.models import Booking

    today = timezone.localdate()
    rows = []
    for offset in range(-183, 183):
        day = today + timedelta(days=offset)
        for service, count, nights in (("stay", 2, 1), ("day", 3, 0)):
            rows += [
                Booking(
                    facility=facility,
                    municipality_id=mother.municipality_id,
                    mother=mother,
                    service=service,
                    start_date=day,
                    end_date=day + timedelta(days=nights),
                    status=Booking.Status.CONFIRMED,
                    created_by=author,
                )
                for _ in range(count)
            ]
    Booking.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _percentiles(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> None:
    _fresh_database()
    _setup_django()
    from django.test import Client
    from django.utils import timezone

    from sango.bookings.capacity import capacity_set
    from sango.bookings.selectors import availability
    from sango.core.tests import factories as f
    from sango.usage.services import use_record

    f.load_programmes()
    staff = f.facility_staff("kaneko-josanin")
    facility = staff.facility
    for service, places in (("stay", 4), ("day", 6), ("visit", 2)):
        capacity_set(facility=facility, actor=staff, service=service, places=places)
    mother = f.mother_with_baby(born=f.days_ago(30))
    count = _year_of_bookings(facility, mother, staff)
    _analyze()
    today = timezone.localdate()
    print(f"facility pages: a year of bookings at one facility ({count:,} bookings)")

    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        availability(facility, "stay", today, today + timedelta(days=41))
        times.append((time.perf_counter() - began) * 1000)
    print(f"  availability, 6 weeks (selector)  {_percentiles(times)}")

    client = Client()
    client.force_login(staff)
    client.get("/facility/bookings/?service=stay")
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        response = client.get("/facility/bookings/?service=stay")
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    print(f"  calendar page (full request)      {_percentiles(times)}")

    vouchers = [
        f.voucher_for(
            f.approved_application(
                mother=f.mother_with_baby(born=f.days_ago(20)), grants={"day": 7}
            )
        )
        for _ in range(USES // 3)
    ]
    times = []
    for n in range(USES):
        voucher = vouchers[n % len(vouchers)]
        began = time.perf_counter()
        use_record(
            voucher_id=voucher.pk,
            facility=facility,
            actor=staff,
            idempotency_key=f"bench-{n}",
            service="day",
            day=today - timedelta(days=1 + n // len(vouchers)),
            fee=12000,
        )
        times.append((time.perf_counter() - began) * 1000)
    print(f"  record a use (use_record)         {_percentiles(times)}")


if __name__ == "__main__":
    main()
