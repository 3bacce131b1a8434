"""The 全銀協 総合振込 file of a batch of 10,000 payments, built end to end from stored rows:
the batch's lines and accounts read from the database, the banks' and branches' kana looked
up in the bank-code data, every record written and the trailer checked against the lock.
Target: ≤ 2 s on the 2-core benchmark machine.

Run with ``make bench-payments`` (or ``python benchmarks/bench_payments.py [N]``; N defaults to
10,000). It runs on in-memory SQLite (the file writer reads one query's rows; the database is
not what is measured). The rows come through the services: N approved facility claims of
総社市 (its contracted facilities × months), each facility with a confirmed account at a
different real bank; ``batch_build`` gathers them and ``batch_lock`` locks the batch; those
two steps are timed and printed too, for information.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg import django_setup

TARGET_SECONDS = 2.0
# Real banks and branches of the bank-code data, one per facility in turn.
BANKS = [("0001", "001"), ("0005", "001"), ("0009", "001"), ("0168", "191"), ("0010", "100")]


def _rows(count: int):
    """The originator, one confirmed account per facility and ``count`` approved claims."""
    from django.utils import timezone

    from sango.banking.directory import branch_named
    from sango.billing.models import FacilityClaim
    from sango.core.tests import factories as f
    from sango.facilities.models import Facility
    from sango.payments.tests import factories as pf

    f.load_programmes()
    clerk, boss = f.clerk(), f.approver()
    pf.originator(actor=clerk)
    soja = f.municipality()
    facilities = list(soja.contracts.values_list("facility", flat=True).distinct())
    banks = [bank for bank in BANKS if branch_named(*bank)]
    for n, facility in enumerate(facilities):
        bank_code, branch_code = banks[n % len(banks)]
        pf.account(
            actor=clerk,
            facility=Facility.objects.get(pk=facility),
            bank={"bank_code": bank_code, "branch_code": branch_code},
            number=f"{n + 1:07d}",
            holder=f"シセツ {n:03d}",
        )
    months = -(-count // len(facilities))
    claims = []
    for m in range(months):
        year, month_index = divmod(2026 * 12 + 3 - m, 12)  # April 2026, then a month earlier
        month = date(year, month_index + 1, 1)
        for facility in facilities:
            if len(claims) == count:
                break
            amount = 10_000 + (len(claims) * 37) % 90_000
            claims.append(
                FacilityClaim(
                    facility_id=facility,
                    municipality=soja,
                    month=month,
                    status=FacilityClaim.Status.APPROVED,
                    total=amount,
                    approved_total=amount,
                    reviewed_at=timezone.now(),
                )
            )
    FacilityClaim.objects.bulk_create(claims, batch_size=2000)
    return clerk, boss


def main(count: int) -> int:
    django_setup(None)  # the test settings' in-memory SQLite
    from django.utils import timezone

    from sango.payments.exports import transfer_file_of
    from sango.payments.models import PaymentBatch
    from sango.payments.services import batch_build, batch_lock

    clerk, boss = _rows(count)
    started = time.perf_counter()
    batch = batch_build(actor=clerk, pay_date=timezone.localdate())
    built = time.perf_counter() - started
    batch = batch_lock(actor=boss, batch=batch, count=batch.count, total=batch.total)
    batch = PaymentBatch.objects.select_related("originator_account").get(pk=batch.pk)
    assert batch.count == count, batch.count

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        body = transfer_file_of(batch)
        timings.append(time.perf_counter() - started)
    assert len(body) == (count + 3) * 122
    best, worst = min(timings), max(timings)
    print(f"gathering {count:,} payments into a batch (batch_build): {built:.2f} s")
    print(
        f"全銀 file for {count:,} payments ({len(body):,} bytes), end to end from stored rows:"
        f" best {best:.3f} s, worst {worst:.3f} s of 3 (target ≤ {TARGET_SECONDS} s)"
    )
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
