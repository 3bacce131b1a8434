"""No overbooking under real concurrency: ten requests for a facility's last bed at the same
moment — exactly one gets it, the others are told it is full (and may join the waitlist).

Each thread uses its own database connection, so these tests need row locks (PostgreSQL). They
run outside a test transaction (``transaction=True``) so that each thread sees committed rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from sango.bookings.capacity import capacity_set
from sango.bookings.models import OCCUPYING, Booking
from sango.bookings.places import Full
from sango.bookings.services import booking_cancel, booking_create, booking_request
from sango.bookings.waitlist import waitlist_accept_offer, waitlist_join
from sango.core.tests import factories as f
from sango.core.tests.concurrency import race, skip_without_row_locks

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 10
ROUNDS = 3
KANEKO = "kaneko-josanin"


@pytest.fixture(autouse=True)
def needs_row_locks():
    skip_without_row_locks()
    f.load_programmes()


def one_bed_left(night):
    """かねこ助産院 with two beds, one of them taken on ``night``."""
    staff = f.facility_staff(KANEKO)
    capacity_set(facility=staff.facility, actor=staff, service="stay", places=2)
    booking_create(
        facility=staff.facility,
        mother=f.mother_with_baby(born=f.days_ago(20)),
        actor=staff,
        service="stay",
        start_date=night,
        end_date=night + timedelta(days=1),
    )
    return staff


def ask(mother, clerk, night) -> Callable[[], Booking]:
    return lambda: booking_request(
        facility=f.facility(KANEKO),
        mother=mother,
        actor=clerk,
        service="stay",
        start_date=night,
        end_date=night + timedelta(days=2),
    )


def test_ten_requests_for_the_last_bed_one_gets_it() -> None:
    clerk = f.clerk()
    for round_ in range(ROUNDS):
        night = f.days_ago(-10 - 3 * round_)
        one_bed_left(night)
        mothers = [f.mother_with_baby(born=f.days_ago(20)) for _ in range(THREADS)]
        results = race(*(ask(m, clerk, night) for m in mothers))

        won = [r for r in results if isinstance(r, Booking)]
        full = [r for r in results if isinstance(r, Full)]
        assert (len(won), len(full)) == (1, THREADS - 1), results
        assert all(r.days == [night] for r in full)
        taken = Booking.objects.filter(
            facility__slug=KANEKO, status__in=OCCUPYING, start_date__lte=night, end_date__gt=night
        )
        assert taken.count() == 2


def test_a_freed_bed_goes_to_the_offer_not_to_a_newcomer_racing_it() -> None:
    clerk = f.clerk()
    for round_ in range(ROUNDS):
        night = f.days_ago(-40 - 3 * round_)
        staff = one_bed_left(night)
        last = booking_request(
            facility=staff.facility,
            mother=f.mother_with_baby(born=f.days_ago(20)),
            actor=clerk,
            service="stay",
            start_date=night,
            end_date=night + timedelta(days=1),
        )
        waiting = f.mother_with_baby(born=f.days_ago(20))
        entry = waitlist_join(
            facility=staff.facility, mother=waiting, actor=clerk, service="stay", day=night
        )
        booking_cancel(booking=last, actor=staff)  # the bed is offered to her
        newcomers = [f.mother_with_baby(born=f.days_ago(20)) for _ in range(THREADS - 1)]
        results = race(
            lambda e=entry, s=staff: waitlist_accept_offer(entry=e, actor=s),
            *(ask(m, clerk, night) for m in newcomers),
        )

        assert isinstance(results[0], Booking) and results[0].mother == waiting, results
        assert all(isinstance(r, Full) for r in results[1:]), results
