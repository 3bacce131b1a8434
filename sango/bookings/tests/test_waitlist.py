"""キャンセル待ち: only for a full day; a freed place is offered to the first mother waiting,
the offer holds it until it expires, and an expired offer passes to the next in line — lazily
when anyone reads or books, and by the task the worker runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sango.bookings.capacity import capacity_set, policy_set
from sango.bookings.jobs import waitlist_expire_offers
from sango.bookings.models import Booking, WaitlistEntry
from sango.bookings.places import Full
from sango.bookings.selectors import availability, waitlist_of
from sango.bookings.services import booking_cancel, booking_decline, booking_request
from sango.bookings.waitlist import (
    waitlist_accept_offer,
    waitlist_join,
    waitlist_offers_expire,
    waitlist_withdraw,
)
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db
Waiting = WaitlistEntry.Status
KANEKO = "kaneko-josanin"


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


@pytest.fixture
def kaneko():
    staff = f.facility_staff(KANEKO)
    capacity_set(facility=staff.facility, actor=staff, service="stay", places=1)
    policy_set(
        facility=staff.facility,
        actor=staff,
        horizon_days=90,
        cancel_hours=24,
        cancel_note="",
        offer_hours=24,
    )
    return staff


NIGHT = f.days_ago(-10)


def mother():
    return f.mother_with_baby(born=f.days_ago(20))


def take_the_bed(who=None):
    who = who or mother()
    return booking_request(
        facility=f.facility(KANEKO),
        mother=who,
        actor=f.clerk(),
        service="stay",
        start_date=NIGHT,
        end_date=NIGHT + timedelta(days=1),
    )


def join(who, actor=None):
    return waitlist_join(
        facility=f.facility(KANEKO), mother=who, actor=actor or f.clerk(), service="stay", day=NIGHT
    )


def later(hours: int):
    return f.frozen_now(timezone.now() + timedelta(hours=hours))


def test_only_a_full_day_has_a_waitlist(kaneko) -> None:
    with pytest.raises(ServiceError) as refused:
        join(mother())
    assert "まだ空きがあります" in refused.value.message
    take_the_bed()
    first = join(mother(), actor=kaneko)  # the facility, for a mother on the phone
    assert first.status == Waiting.WAITING
    with pytest.raises(ServiceError) as refused:
        join(first.mother)
    assert "すでにキャンセル待ち" in refused.value.message


def test_a_cancellation_offers_the_place_to_the_first_in_line(kaneko) -> None:
    booking = take_the_bed()
    first, second = join(mother()), join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Waiting.OFFERED, Waiting.WAITING)
    assert first.offer_expires_at - first.offered_at == timedelta(hours=24)
    # the offer holds the place: nobody else can take it meanwhile
    with pytest.raises(Full):
        take_the_bed()
    assert availability(kaneko.facility, "stay", NIGHT, NIGHT)[0].free == 0
    booking = waitlist_accept_offer(entry=first, actor=kaneko)
    first.refresh_from_db()
    assert (first.status, first.booking) == (Waiting.ACCEPTED, booking)
    assert (booking.start_date, booking.end_date) == (NIGHT, NIGHT + timedelta(days=1))
    assert booking.status == Booking.Status.PROVISIONAL
    assert booking.mother == first.mother


def test_a_declined_request_frees_its_place_for_the_waitlist(kaneko) -> None:
    booking = take_the_bed()
    entry = join(mother())
    booking_decline(booking=booking, actor=kaneko, reason="満床のため")
    entry.refresh_from_db()
    assert entry.status == Waiting.OFFERED


def test_an_expired_offer_passes_to_the_next_in_line(kaneko) -> None:
    booking = take_the_bed()
    first, second = join(mother()), join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    with later(25):
        # anything reading the waitlist expires what is past due first
        entries = waitlist_of(kaneko)
        assert [(e.pk, e.status) for e in entries] == [(second.pk, Waiting.OFFERED)]
        first.refresh_from_db()
        assert first.status == Waiting.EXPIRED
        with pytest.raises(InvalidState) as refused:
            waitlist_accept_offer(entry=first, actor=kaneko)
        assert "次の方" in refused.value.message
        assert waitlist_accept_offer(entry=second, actor=kaneko).mother == second.mother


def test_a_booking_after_the_expiry_does_not_jump_the_queue(kaneko) -> None:
    booking = take_the_bed()
    join(mother())
    second = join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    with later(25):
        # a newcomer finds the place passed to the second mother, not free (the refusal
        # rolls back with it; the next reader passes the place on again)
        with pytest.raises(Full):
            take_the_bed()
        waitlist_of(kaneko)
    second.refresh_from_db()
    assert second.status == Waiting.OFFERED


def test_the_task_expires_offers_for_the_worker(kaneko) -> None:
    booking = take_the_bed()
    first, second = join(mother()), join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    assert waitlist_offers_expire() == 0
    with later(25):
        assert waitlist_expire_offers.call() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Waiting.EXPIRED, Waiting.OFFERED)


def test_an_offer_nobody_else_waits_for_frees_the_place_again(kaneko) -> None:
    booking = take_the_bed()
    only = join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    with later(25):
        day = availability(kaneko.facility, "stay", NIGHT, NIGHT)[0]
        assert (day.free, day.state) == (1, "few")
    only.refresh_from_db()
    assert only.status == Waiting.EXPIRED


def test_withdrawing_an_offer_passes_it_on(kaneko) -> None:
    booking = take_the_bed()
    first, second = join(mother()), join(mother())
    booking_cancel(booking=booking, actor=kaneko)
    waitlist_withdraw(entry=first, actor=kaneko)
    second.refresh_from_db()
    assert second.status == Waiting.OFFERED
    with pytest.raises(InvalidState):
        waitlist_withdraw(entry=first, actor=kaneko)


def test_a_larger_capacity_is_offered_to_the_waitlist(kaneko) -> None:
    take_the_bed()
    entry = join(mother())
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=2)
    entry.refresh_from_db()
    assert entry.status == Waiting.OFFERED


def test_another_facility_cannot_handle_the_waitlist(kaneko) -> None:
    take_the_bed()
    entry = join(mother())
    with pytest.raises(ServiceError) as refused:
        waitlist_withdraw(entry=entry, actor=f.facility_staff("tanbobo-josanin"))
    assert refused.value.code == "forbidden"
