"""The availability others read (こども課, the mothers' portal, the facility's calendar):
capacity, free places and a state in words per day, never who booked, in a fixed number of
queries whatever the number of days and bookings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sango.bookings.capacity import capacity_set, closed_day_add, policy_set
from sango.bookings.selectors import (
    CLOSED,
    FEW,
    FREE,
    FULL,
    OUTSIDE,
    UNSET,
    DayAvailability,
    availability,
    few_left,
    month_calendar,
    requests_waiting,
)
from sango.bookings.services import booking_request
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db
KANEKO = "kaneko-josanin"


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


@pytest.fixture
def kaneko():
    return f.facility_staff(KANEKO)


def ahead(days: int):
    return f.days_ago(-days)


def book(day, nights=1, service="stay"):
    return booking_request(
        facility=f.facility(KANEKO),
        mother=f.mother_with_baby(born=f.days_ago(20)),
        actor=f.clerk(),
        service=service,
        start_date=day,
        end_date=day + timedelta(days=nights),
    )


def test_few_left_is_one_place_or_a_fifth() -> None:
    assert few_left(1, 3) and few_left(2, 10) and few_left(0, 4)
    assert not few_left(2, 3) and not few_left(3, 10)


def test_each_day_has_its_state_in_words(kaneko) -> None:
    facility = kaneko.facility
    capacity_set(facility=facility, actor=kaneko, service="stay", places=3)
    policy_set(
        facility=facility,
        actor=kaneko,
        horizon_days=20,
        cancel_hours=24,
        cancel_note="",
        offer_hours=24,
    )
    closed_day_add(facility=facility, actor=kaneko, day=ahead(4), note="研修")
    for _ in range(3):
        book(ahead(2))
    for _ in range(2):
        book(ahead(3))
    days = {d.day: d for d in availability(facility, "stay", f.days_ago(1), ahead(21))}
    assert days[f.days_ago(1)].state == OUTSIDE
    assert days[ahead(1)].state == FREE and days[ahead(1)].free == 3
    assert (days[ahead(2)].state, days[ahead(2)].free, days[ahead(2)].label) == (FULL, 0, "満床")
    assert (days[ahead(3)].state, days[ahead(3)].label) == (FEW, "残りわずか")
    assert (days[ahead(4)].state, days[ahead(4)].label) == (CLOSED, "休業")
    assert days[ahead(21)].state == OUTSIDE and days[ahead(21)].label == "受付期間外"
    assert all(d.capacity == 3 for d in days.values())
    # never who: only numbers and states
    assert set(DayAvailability.__dataclass_fields__) == {
        "day",
        "capacity",
        "free",
        "state",
        "nightly",
    }


def test_day_care_full_reads_manin_and_unset_asks_to_call(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="day", places=1)
    book(ahead(2), nights=0, service="day")
    day = availability(kaneko.facility, "day", ahead(2), ahead(2))[0]
    assert (day.state, day.label) == (FULL, "満員")
    visit = availability(kaneko.facility, "visit", ahead(2), ahead(2))[0]
    assert (visit.state, visit.capacity, visit.free) == (UNSET, None, None)


def test_the_month_calendar_has_weeks_from_sunday(kaneko) -> None:
    month = ahead(0).replace(day=1)
    found = month_calendar(kaneko.facility, "stay", month)
    days = [d for week in found.weeks for d in week if d is not None]
    assert days[0].day == month and all(len(week) == 7 for week in found.weeks)
    assert found.weeks[0].index(days[0]) == (month.weekday() + 1) % 7
    assert found.previous < month < found.next
    assert found.place.name == "短期入所（ショートステイ）型／宿泊型"  # 総社市 and 熊本市


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_availability_queries_do_not_grow_with_days_or_bookings(kaneko) -> None:
    facility = kaneko.facility
    capacity_set(facility=facility, actor=kaneko, service="stay", places=60)
    book(ahead(1))

    def read(days: int):
        return lambda: availability(facility, "stay", ahead(0), ahead(days))

    one = queries(read(7))
    for n in range(49):
        book(ahead(1 + n % 20), nights=1 + n % 3)
    assert queries(read(7)) == one
    assert queries(read(60)) == one


def test_requests_waiting_are_the_facilitys_own_and_flat(kaneko, django_assert_max_num_queries):
    book(ahead(3))
    other = f.facility_staff("tanbobo-josanin")
    assert requests_waiting(other) == []
    with CaptureQueriesContext(connection) as one:
        assert len(requests_waiting(kaneko)) == 1
    for n in range(49):
        book(ahead(3 + n % 30))
    with django_assert_max_num_queries(len(one)):
        found = requests_waiting(kaneko)
    assert len(found) == 50 and found[0].service_name == "短期入所（ショートステイ）型"
