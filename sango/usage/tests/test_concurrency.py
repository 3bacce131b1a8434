"""Caps and retries under real concurrency: two facilities recording at the same moment against
one voucher never exceed its cap, and a retry racing its original records once.

Each thread uses its own database connection, so these tests need row locks (PostgreSQL). They
run outside a test transaction (``transaction=True``) so that each thread sees committed rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sango.core.errors import Refused
from sango.core.tests import factories as f
from sango.core.tests.concurrency import race, skip_without_row_locks
from sango.usage.models import Use
from sango.usage.services import use_record

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10


@pytest.fixture(autouse=True)
def needs_row_locks():
    skip_without_row_locks()
    f.load_programmes()


def voucher_with_nights(*, granted: int, used: int):
    """A 総社市 voucher granted ``granted`` nights, ``used`` of them already recorded."""
    mother = f.mother_with_baby(born=f.days_ago(30))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": granted}))
    if used:
        staff = f.facility_staff("kaneko-josanin")
        use_record(
            voucher_id=voucher.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=f"earlier:{voucher.pk}",
            service="stay",
            day=f.days_ago(5),
            quantity=used,
            fee=30000,
        )
    return voucher


def night(voucher, staff, key: str) -> Callable[[], Use]:
    return lambda: use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=key,
        service="stay",
        day=f.days_ago(1),
        quantity=1,
        fee=30000,
    )


def test_two_facilities_cannot_both_take_the_last_night() -> None:
    # かねこ助産院 and たんぼぼ助産院 both offer stays to 総社市 mothers.
    kaneko = f.facility_staff("kaneko-josanin")
    tanbobo = f.facility_staff("tanbobo-josanin")
    for round_ in range(ROUNDS):
        voucher = voucher_with_nights(granted=3, used=2)
        results = race(night(voucher, kaneko, f"k{round_}"), night(voucher, tanbobo, f"t{round_}"))

        saved = [r for r in results if isinstance(r, Use)]
        refused = [r for r in results if isinstance(r, Refused)]
        assert (len(saved), len(refused)) == (1, 1), results
        assert [r["code"] for r in refused[0].reasons] == ["cap_reached"]
        nights = Use.objects.filter(voucher=voucher, status=Use.Status.RECORDED)
        assert sum(u.counted["stay"] for u in nights) == 3
        assert nights.filter(day=f.days_ago(1)).get().pk == saved[0].pk


def test_a_retry_racing_its_original_records_once() -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    for round_ in range(ROUNDS):
        voucher = voucher_with_nights(granted=3, used=0)
        key = f"tablet-7:{round_}"
        results = race(night(voucher, kaneko, key), night(voucher, kaneko, key))

        assert all(isinstance(r, Use) for r in results), results
        assert results[0].pk == results[1].pk
        # One answer is the recording (201), the other the retry (200): never two 201s.
        assert sorted(r.retried for r in results) == [False, True]
        assert Use.objects.filter(voucher=voucher).count() == 1


def test_a_retry_of_the_last_night_racing_its_original_records_once() -> None:
    # The retry must find the use its original recorded, not be judged as a second night.
    kaneko = f.facility_staff("kaneko-josanin")
    for round_ in range(ROUNDS):
        voucher = voucher_with_nights(granted=3, used=2)
        key = f"tablet-7:{round_}"
        results = race(night(voucher, kaneko, key), night(voucher, kaneko, key))

        assert all(isinstance(r, Use) for r in results), results
        assert results[0].pk == results[1].pk
        # One answer is the recording (201), the other the retry (200): never two 201s.
        assert sorted(r.retried for r in results) == [False, True]
        assert Use.objects.filter(voucher=voucher, idempotency_key=key).count() == 1
