"""What the bookings read: the availability of a facility's places (for everyone — the
facility, こども課 and the mothers' portal — and never who booked), the facility's calendar,
the requests waiting for its answer, its upcoming bookings and its waitlist.

Anything reading the waitlist or the availability first expires the offers past due (one query
when none is), so an expired offer never holds a place on screen.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.accounts import access
from sango.bookings.models import (
    OCCUPYING,
    Booking,
    BookingPolicy,
    Capacity,
    ClosedDay,
    WaitlistEntry,
)
from sango.bookings.places import (
    Place,
    live_offers,
    occupancy,
    occupied_days,
    places_of,
    places_of_facilities,
    policy_of,
)
from sango.bookings.waitlist import waitlist_offers_expire
from sango.core.errors import ServiceError
from sango.facilities.models import Contract, Facility
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.vouchers.models import Voucher

FREE, FEW, FULL, CLOSED, OUTSIDE, UNSET = "free", "few", "full", "closed", "outside", "unset"
STATE_NAMES = {
    FREE: _("空きあり"),
    FEW: _("残りわずか"),
    CLOSED: _("休業"),
    OUTSIDE: _("受付期間外"),
    UNSET: _("お問い合わせください"),
}
FULL_NIGHTS, FULL_DAYS = _("満床"), _("満員")


def few_left(free: int, capacity: int) -> bool:
    """残りわずか: one place left, or at most a fifth of the capacity (2 of 10)."""
    return free <= 1 or free * 5 <= capacity


@dataclass(frozen=True)
class DayAvailability:
    """One day (or night) of one service: its capacity, the places still free and the state;
    ``capacity`` and ``free`` are None where the facility has set no capacity."""

    day: date
    capacity: int | None
    free: int | None
    state: str
    nightly: bool

    @property
    def label(self) -> str:
        if self.state == FULL:
            return str(FULL_NIGHTS if self.nightly else FULL_DAYS)
        return str(STATE_NAMES[self.state])


def availability(
    facility: Facility,
    service: str,
    first_day: date,
    last_day: date,
    *,
    today: date | None = None,
) -> list[DayAvailability]:
    """Per day from ``first_day`` to ``last_day`` (inclusive): capacity, free places and the
    state — 空きあり, 残りわずか (``few_left``), 満床 (nights) / 満員 (days), 休業 (closed day),
    受付期間外 (before today or beyond the facility's booking horizon), or お問い合わせください
    (no capacity set). Free places count requested, provisional and confirmed bookings and the
    waitlist offers still open. For the facility, the staff office and the mothers' portal:
    it never says who booked. The same handful of queries whatever the number of days and
    bookings."""
    today = today or timezone.localdate()
    waitlist_offers_expire(facility=facility)
    place = places_of(facility).get(service)
    if place is None:
        raise ServiceError("この施設ではこのサービスを実施していません。", field="service")
    capacity = Capacity.objects.filter(facility=facility, service=service).first()
    closed = set(
        ClosedDay.objects.filter(facility=facility, day__range=(first_day, last_day)).values_list(
            "day", flat=True
        )
    )
    horizon = today + timedelta(days=policy_of(facility).horizon_days)
    taken = occupancy(facility, place, first_day, last_day) if capacity else {}
    days = []
    day = first_day
    while day <= last_day:
        days.append(_day(day, capacity, taken, closed, today, horizon, place.nightly))
        day += timedelta(days=1)
    return days


def _day(day, capacity, taken, closed, today, horizon, nightly) -> DayAvailability:
    places = capacity.places if capacity else None
    free = max(places - taken.get(day, 0), 0) if capacity else None
    if day in closed:
        state = CLOSED
    elif day < today or day > horizon:
        state = OUTSIDE
    elif capacity is None:
        state = UNSET
    elif free == 0:
        state = FULL
    elif few_left(free, places):
        state = FEW
    else:
        state = FREE
    return DayAvailability(day, places, free, state, nightly)


def availability_of_facilities(
    facilities: Sequence[Facility],
    first_day: date,
    last_day: date,
    *,
    today: date | None = None,
) -> dict[int, dict[str, list[DayAvailability]]]:
    """``availability`` of every place of each of ``facilities``, by facility id and service
    (施設をさがす shows a municipality's facilities side by side). The same states, counted the
    same way, in a fixed handful of queries whatever the number of facilities, days and
    bookings; and, like ``availability``, never who booked."""
    today = today or timezone.localdate()
    waitlist_offers_expire()  # one query when no offer is past due
    ids = [facility.pk for facility in facilities]
    places = places_of_facilities(facilities, today)
    capacities = {
        (c.facility_id, c.service): c for c in Capacity.objects.filter(facility_id__in=ids)
    }
    closed: dict[int, set[date]] = {}
    for pk, day in ClosedDay.objects.filter(
        facility_id__in=ids, day__range=(first_day, last_day)
    ).values_list("facility_id", "day"):
        closed.setdefault(pk, set()).add(day)
    horizons = dict(
        BookingPolicy.objects.filter(facility_id__in=ids).values_list("facility_id", "horizon_days")
    )
    default_horizon = BookingPolicy._meta.get_field("horizon_days").default
    taken = _taken_at(places, first_day, last_day)
    found: dict[int, dict[str, list[DayAvailability]]] = {}
    for pk, offered in places.items():
        horizon = today + timedelta(days=horizons.get(pk, default_horizon))
        found[pk] = {}
        for code, place in offered.items():
            capacity = capacities.get((pk, code))
            counted = taken.get((pk, code), {}) if capacity else {}
            days, day = [], first_day
            while day <= last_day:
                shut = closed.get(pk, set())
                days.append(_day(day, capacity, counted, shut, today, horizon, place.nightly))
                day += timedelta(days=1)
            found[pk][code] = days
    return found


def _taken_at(
    places: dict[int, dict[str, Place]], first: date, last: date
) -> dict[tuple[int, str], Counter[date]]:
    """``occupancy`` of every place at once, by (facility id, service): occupying bookings and
    live waitlist offers. Two queries."""
    place_of = {
        (pk, code): place
        for pk, offered in places.items()
        for place in offered.values()
        for code in place.codes
    }
    taken: dict[tuple[int, str], Counter[date]] = {}
    bookings = Booking.objects.filter(
        facility_id__in=list(places),
        status__in=OCCUPYING,
        start_date__lte=last,
        end_date__gte=first,
    ).values_list("facility_id", "service", "start_date", "end_date")
    for pk, code, start, end in bookings:
        place = place_of.get((pk, code))
        if place is None:
            continue
        counter = taken.setdefault((pk, place.service), Counter())
        for day in occupied_days(start, end, place.nightly):
            if first <= day <= last:
                counter[day] += 1
    offers = WaitlistEntry.objects.filter(
        live_offers(), facility_id__in=list(places), day__range=(first, last)
    ).values_list("facility_id", "service", "day")
    for pk, code, day in offers:
        place = place_of.get((pk, code))
        if place is not None:
            taken.setdefault((pk, place.service), Counter())[day] += 1
    return taken


@dataclass(frozen=True)
class MonthCalendar:
    """A month of one service as weeks (Sunday first; None pads the days of other months)."""

    place: Place
    month: date
    weeks: list[list[DayAvailability | None]]
    previous: date
    next: date


def month_calendar(facility: Facility, service: str, month: date) -> MonthCalendar:
    """The calendar of ``service`` for the month of ``month``, for the facility's own page."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    by_day = {d.day: d for d in availability(facility, service, first, last)}
    weeks = [
        [by_day.get(day) if day.month == first.month else None for day in week]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    ]
    return MonthCalendar(
        place=places_of(facility)[service],
        month=first,
        weeks=weeks,
        previous=(first - timedelta(days=1)).replace(day=1),
        next=last + timedelta(days=1),
    )


# --- the facility's lists ---------------------------------------------------------------------


def _named(bookings: QuerySet[Booking] | list[Booking]) -> list[Booking]:
    """Each booking with ``service_name``: the programme's name (no query)."""
    found = list(bookings)
    for booking in found:
        try:
            rules = rules_on(booking.municipality.code, booking.start_date)
            booking.service_name = service_name(rules, booking.service)
        except ServiceError:
            booking.service_name = booking.service
    return found


def requests_waiting(user: Any, *, limit: int = 100) -> list[Booking]:
    """Requests waiting for the facility's answer, oldest first (今日 and the bookings page)."""
    found = (
        access.bookings_visible_to(user)
        .filter(status=Booking.Status.REQUESTED)
        .select_related("mother", "municipality")
        .order_by("created_at", "pk")
    )
    return _named(found[:limit])


def bookings_upcoming(user: Any, *, today: date | None = None, limit: int = 100) -> list[Booking]:
    """Provisional and confirmed bookings that have not ended yet, soonest first."""
    today = today or timezone.localdate()
    found = (
        access.bookings_visible_to(user)
        .filter(
            status__in=(Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED),
            end_date__gte=today,
        )
        .select_related("mother", "municipality")
        .order_by("start_date", "pk")
    )
    return _named(found[:limit])


def booking_of(user: Any, pk: int) -> Booking:
    """One booking the user may see (404 otherwise), with its service's name."""
    found = access.bookings_visible_to(user).select_related(
        "mother", "municipality", "facility", "application"
    )
    return _named([get_object_or_404(found, pk=pk)])[0]


def waitlist_of(user: Any, *, today: date | None = None, limit: int = 100) -> list[WaitlistEntry]:
    """The open waitlist (waiting and offered) from today, by day and in the order they
    joined; offers past due are expired first."""
    today = today or timezone.localdate()
    if user.facility_id:
        waitlist_offers_expire(facility=user.facility)
    found = (
        access.waitlist_visible_to(user)
        .filter(
            status__in=(WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED),
            day__gte=today,
        )
        .select_related("mother", "municipality")
        .order_by("day", "created_at", "pk")
    )
    entries = list(found[:limit])
    for entry in entries:
        try:
            rules = rules_on(entry.municipality.code, entry.day)
            entry.service_name = service_name(rules, entry.service)
        except ServiceError:
            entry.service_name = entry.service
    return entries


def waitlist_entry_of(user: Any, pk: int) -> WaitlistEntry:
    return get_object_or_404(
        access.waitlist_visible_to(user).select_related("mother", "facility"), pk=pk
    )


@dataclass(frozen=True)
class Settings:
    """The facility's settings page: each place with its capacity, the closed days from today
    and the policy."""

    places: list[tuple[Place, int | None]]
    closed_days: list[ClosedDay]
    policy: BookingPolicy


def settings_of(facility: Facility, *, today: date | None = None) -> Settings:
    today = today or timezone.localdate()
    capacities = dict(Capacity.objects.filter(facility=facility).values_list("service", "places"))
    return Settings(
        places=[(place, capacities.get(code)) for code, place in places_of(facility).items()],
        closed_days=list(ClosedDay.objects.filter(facility=facility, day__gte=today)),
        policy=policy_of(facility),
    )


def closed_day_of(user: Any, pk: int) -> ClosedDay:
    """One of the user's facility's closed days (404 otherwise)."""
    return get_object_or_404(ClosedDay, pk=pk, facility_id=user.facility_id or 0)


def vouchers_to_book(user: Any) -> list[Voucher]:
    """The active vouchers and usage cards presented at the user's facility (a booking or a
    use there), with their mothers: whom the facility may book for by phone."""
    found = (
        access.vouchers_visible_to(user)
        .filter(status=Voucher.Status.ACTIVE)
        .select_related("mother", "municipality", "application")
        .order_by("mother__name_kana", "pk")
    )
    return list(found[:500])


def service_choices(facility: Facility, *, on: date | None = None) -> list[tuple[str, str]]:
    """Every service and sub-type code the facility's contracts offer, with the programmes'
    names (joined where two municipalities name one code differently): what a booking form
    offers. One query."""
    on = on or timezone.localdate()
    names: dict[str, list[str]] = {}
    contracts = Contract.objects.filter(facility=facility, listed=True).select_related(
        "municipality"
    )
    for contract in contracts.order_by("municipality__code"):
        try:
            rules = rules_on(contract.municipality.code, on)
        except ServiceError:
            continue
        for code in contract.services:
            if not rules.knows(code):
                continue
            name = service_name(rules, code)
            if name not in names.setdefault(code, []):
                names[code].append(name)
    return [(code, "／".join(found)) for code, found in names.items()]
