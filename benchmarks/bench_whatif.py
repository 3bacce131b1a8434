"""What-if (試算) replay of 1,000,000 stored uses under a draft, on PostgreSQL, end to end:
loading the uses (and the births, approvals and grants), judging them under the draft and
summing them. Target: ≤ 10 s on the 2-core benchmark machine.

Run with ``make bench-whatif`` (or ``python benchmarks/bench_whatif.py [N]``; N defaults to
1,000,000). It needs PostgreSQL: ``BENCH_WHATIF_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/bench_whatif``), a database it creates and drops after.
Rows are written with COPY (a benchmark measures the replay, not the services that wrote them):
総社市 mothers approved for 7 nights, 7 days and 7 visits, each with seven uses in FY2025 whose
stored figures are the rules core's own. The draft is the prepared one: 宿泊 10 nights.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg import (
    USE_COLUMNS,
    analyze,
    copy_rows,
    database_for_the_run,
    django_setup,
    mothers_copy,
    next_id,
)

URL = os.environ.get("BENCH_WHATIF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_whatif")
USES_PER_MOTHER = 7
FEES = {"stay": 30000, "day": 12000, "visit": 9000}
FACILITIES = ["kaneko-josanin", "tanbobo-josanin", "uchikado-josanin", "kunisada-josanin"]
TIERS = ["taxable"] * 7 + ["tax_exempt"] * 2 + ["welfare"]
PERIOD = (date(2025, 4, 1), date(2026, 3, 31))


def _table(model) -> str:
    return model._meta.db_table


def _uses_of(rng: random.Random, birth: date) -> list[tuple[str, date, int]]:
    """Seven uses within four months of the birth, inside the caps (some reach 7 nights)."""
    left = {"stay": 7, "day": 7, "visit": 7}
    day = birth + timedelta(days=rng.randint(3, 10))
    uses = []
    for _ in range(USES_PER_MOTHER):
        service = rng.choice([s for s, n in left.items() if n])
        quantity = min(rng.randint(1, 3), left[service]) if service == "stay" else 1
        left[service] -= quantity
        uses.append((service, day, quantity))
        day += timedelta(days=quantity + rng.randint(1, 12))
    return uses


def fill(total_uses: int) -> None:
    """Mothers, infants, approved applications with grants, vouchers and their uses (COPY)."""
    from sango.accounts.models import User
    from sango.applications.models import Application, Grant
    from sango.core.tests import factories as f
    from sango.facilities.models import Facility
    from sango.mothers.models import Infant
    from sango.municipalities.models import Office
    from sango.programs.rules_for import program_for
    from sango.rules.evaluate import evaluate
    from sango.rules.request import UseRequest
    from sango.usage.models import Use
    from sango.vouchers.models import Voucher

    f.load_programmes()
    soja = f.municipality(f.SOJA)
    office = Office.objects.get(municipality=soja, code="kodomo")
    clerk = f.clerk(username="bench-clerk")
    staff = User.objects.get(pk=clerk.pk)
    facilities = dict(Facility.objects.filter(slug__in=FACILITIES).values_list("slug", "id"))
    program = program_for(f.SOJA)
    figures: dict[tuple, tuple[int, int, str, str]] = {}

    def judged(service: str, tier: str, quantity: int, day: date) -> tuple[int, int, str, str]:
        key = (service, tier, quantity)
        if key not in figures:
            result = evaluate(
                program,
                UseRequest("332089", service, day, tier, day, quantity=quantity, fee=FEES[service]),
                explain=False,
            )
            funding = [{"source": p.source, "amount": p.amount} for p in result.funding]
            figures[key] = (
                result.subsidy,
                result.copay,
                _json(funding),
                _json(result.counted),
            )
        return figures[key]

    mothers = -(-total_uses // USES_PER_MOTHER)
    rng = random.Random(20251)
    now = datetime.now(UTC)
    first = mothers_copy(count=mothers, municipality_id=soja.pk, now=now)
    births = [date(2025, 4, 1) + timedelta(days=n % 240) for n in range(mothers)]
    copy_rows(
        _table(Infant),
        ["mother_id", "name", "birth_date"],
        ((first + n, "", births[n]) for n in range(mothers)),
    )
    tiers = [TIERS[n % len(TIERS)] for n in range(mothers)]
    # Through the ORM: an application has many columns with defaults that COPY would not fill.
    applications = Application.objects.bulk_create(
        (
            Application(
                municipality=soja,
                office=office,
                mother_id=first + n,
                status="approved",
                channel="in_person",
                tier=tiers[n],
                tier_basis="ledger",
                submitted_at=now,
                created_by=staff,
            )
            for n in range(mothers)
        ),
        batch_size=5000,
    )
    app_first = applications[0].pk
    assert applications[-1].pk == app_first + mothers - 1
    copy_rows(
        _table(Grant),
        ["application_id", "cap", "quantity"],
        ((app_first + n, cap, 7) for n in range(mothers) for cap in ("day", "stay", "visit")),
    )
    voucher_first = next_id(_table(Voucher))
    copy_rows(
        _table(Voucher),
        [
            "id",
            "number",
            "municipality_id",
            "mother_id",
            "application_id",
            "office_id",
            "kind",
            "status",
            "tier",
            "tier_basis",
            "valid_from",
            "valid_until",
            "issued_by_id",
            "issued_at",
        ],
        (
            (
                voucher_first + n,
                f"332089-{n:014d}",
                soja.pk,
                first + n,
                app_first + n,
                office.pk,
                "voucher",
                "active",
                tiers[n],
                "ledger",
                births[n],
                births[n] + timedelta(days=365),
                staff.pk,
                now,
            )
            for n in range(mothers)
        ),
    )

    def uses():
        written = 0
        for n in range(mothers):
            for service, day, quantity in _uses_of(rng, births[n]):
                if written == total_uses:
                    return
                written += 1
                subsidy, copay, funding, counted = judged(service, tiers[n], quantity, day)
                yield (
                    voucher_first + n,
                    soja.pk,
                    facilities[FACILITIES[n % len(FACILITIES)]],
                    "facility",
                    "recorded",
                    service,
                    day,
                    quantity,
                    1,
                    tiers[n],
                    FEES[service],
                    0,
                    subsidy,
                    copay,
                    funding,
                    counted,
                    date(2025, 4, 1),
                    f"b{written}",
                    "",
                    staff.pk,
                    now,
                    "",
                )

    # Facilities record a use soon after the day of service, so a live table holds its uses
    # roughly in day order: write them so (the table's physical order is what a scan reads).
    copy_rows(_table(Use), USE_COLUMNS, sorted(uses(), key=lambda row: row[6]))
    analyze()


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def measure() -> None:
    """The replay in its three steps, then end to end as the staff page runs it."""
    from sango.core.tests import factories as f
    from sango.programs.rules_for import program_for
    from sango.programs.whatif import (
        _longest_window,
        draft_check,
        past_uses,
        soja_ten_nights_draft,
        whatif_run,
    )
    from sango.rules.replay import Replayer
    from sango.rules.replay_summary import replay

    soja = f.municipality(f.SOJA)
    draft = draft_check(soja_ten_nights_draft(), municipality_code=f.SOJA)
    actual = program_for(f.SOJA)
    date_from, date_to = PERIOD
    earliest = date_from - _longest_window(draft, actual, date_from)

    clock = Clock()
    uses = list(
        past_uses(municipality=soja, date_from=date_from, date_to=date_to, earliest=earliest)
    )
    load = clock.lap()
    judge = Replayer(draft, actual).judge
    for use in uses:
        judge(use)
    evaluating = clock.lap()
    summary = replay(draft, actual, uses)
    summing = clock.lap()
    print(f"what-if replay: {len(uses):,} uses of {summary.mothers:,} mothers")
    print("  (wall time; this process's CPU time in brackets: PostgreSQL's is not in it)")
    print(f"  load                 {load[0]:6.2f} s  ({load[1]:.2f} s)")
    print(f"  evaluate             {evaluating[0]:6.2f} s  ({evaluating[1]:.2f} s)")
    print(f"  evaluate + aggregate {summing[0]:6.2f} s  ({summing[1]:.2f} s)")
    del uses
    clock = Clock()
    run = whatif_run(municipality=soja, draft=draft, date_from=date_from, date_to=date_to)
    wall, cpu = clock.lap()
    total = run.summary.total
    print(
        f"  end to end {wall:6.2f} s  ({cpu:.2f} s)  streamed, as the page runs it; target ≤ 10 s"
    )
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"  subsidy change {total.subsidy_change:,} yen, copay change {total.copay_change:,} "
        f"yen, mothers at the 7-night cap who could use more: "
        f"{sum(h.mothers for h in run.summary.headroom):,}"
    )
    assert total.uses == total_expected(), (total.uses, total_expected())
    assert total.subsidy_change == 0  # 10 nights instead of 7 changes no recorded use


class Clock:
    """Wall and CPU seconds since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        found = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return found


def total_expected() -> int:
    return int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000


def main() -> None:
    size = total_expected()
    with database_for_the_run(URL):
        django_setup(URL)
        began = time.perf_counter()
        fill(size)
        print(f"inserted {size:,} uses in {time.perf_counter() - began:.0f} s")
        measure()


if __name__ == "__main__":
    main()
