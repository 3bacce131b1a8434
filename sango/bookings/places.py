"""The places a booking takes: which of a facility's services it counts towards, which nights
or days it occupies, and the capacity lock every booking service holds while it counts.

A *place* is one of the services a facility contracts for (``stay``, ``day``, ``visit``), as
the programmes name them; a sub-type (熊本市's 3時間型 ``day_3h``) takes a place of its service.
A facility contracting with several municipalities has one capacity per service, shared by
the mothers of every municipality.

Concurrency: every service that takes or frees a place first locks the facility's
``Capacity`` row of that service (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite takes its
write lock when the transaction begins). Two requests for the last bed queue on that row; the
second counts the first one's booking and is told the day is full. Where no capacity is set
yet, the facility row is locked instead, so that ``capacity_set`` cannot count around a
booking being made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from sango.applications.models import Application
from sango.bookings.models import OCCUPYING, Booking, BookingPolicy, Capacity, WaitlistEntry
from sango.core.errors import ServiceError
from sango.core.wareki import wareki
from sango.facilities.models import Contract, Facility
from sango.mothers.models import Mother
from sango.programs.rules_for import rules_on
from sango.vouchers.models import Voucher


@dataclass(frozen=True)
class Place:
    """One service of a facility as a kind of place: its code, the programme's names (one per
    municipality where they differ), whether it is counted per night, and every code (the
    service and its sub-types) that takes one of its places."""

    service: str
    names: tuple[str, ...]
    nightly: bool
    codes: frozenset[str]

    @property
    def name(self) -> str:
        return "／".join(self.names)


class Full(ServiceError):
    """No place left on ``days``: the caller may offer the waitlist for them."""

    def __init__(self, days: list[date], nightly: bool) -> None:
        names = "、".join(wareki(d) for d in days)
        word = "満床" if nightly else "満員"
        super().__init__(
            f"{names}は{word}です。キャンセル待ちに登録できます。", code="full", field="start_date"
        )
        self.days = days


def places_of(facility: Facility, on: date | None = None) -> dict[str, Place]:
    """The facility's places under the rules in force on ``on`` (default today), in the order
    the programmes list their services; one query (its contracts)."""
    contracts = Contract.objects.filter(facility=facility, listed=True).select_related(
        "municipality"
    )
    return _places(contracts.order_by("municipality__code"), on or timezone.localdate())


def places_of_facilities(
    facilities: Iterable[Facility], on: date | None = None
) -> dict[int, dict[str, Place]]:
    """``places_of`` for many facilities at once, by facility id (every one present, with no
    places where it has no listed contract); one query whatever their number."""
    found: dict[int, list[Contract]] = {facility.pk: [] for facility in facilities}
    contracts = Contract.objects.filter(facility__in=list(found), listed=True).select_related(
        "municipality"
    )
    for contract in contracts.order_by("municipality__code"):
        found[contract.facility_id].append(contract)
    on = on or timezone.localdate()
    return {pk: _places(listed, on) for pk, listed in found.items()}


def _places(contracts: Iterable[Contract], on: date) -> dict[str, Place]:
    """The places the contracts (by municipality code) offer under the rules in force on ``on``."""
    found: dict[str, dict] = {}
    for contract in contracts:
        try:
            rules = rules_on(contract.municipality.code, on)
        except ServiceError:
            continue
        offered = {rules.parent_code(code) for code in contract.services}
        for code, service in rules.services.items():
            if code not in offered:
                continue
            entry = found.setdefault(
                code, {"names": [], "nightly": service.unit == "night", "codes": {code}}
            )
            if service.name not in entry["names"]:
                entry["names"].append(service.name)
            entry["codes"].update(sub.code for sub in service.subtypes)
    return {
        code: Place(code, tuple(e["names"]), e["nightly"], frozenset(e["codes"]))
        for code, e in found.items()
    }


def place_for(facility: Facility, service: str, on: date | None = None) -> Place:
    """The place a booking of ``service`` (a service or a sub-type code) takes."""
    for place in places_of(facility, on).values():
        if service in place.codes:
            return place
    raise ServiceError("この施設ではこのサービスを実施していません。", field="service")


def occupied_days(start: date, end: date, nightly: bool) -> list[date]:
    """The nights (``nightly``) or days a booking from ``start`` to ``end`` takes: nights
    ``start`` … ``end``−1 (a 1泊2日 stay 12/12→12/13 takes the night of 12/12; a stay that
    starts and ends on one day counts one night); days ``start`` … ``end``."""
    last = end - timedelta(days=1) if nightly and end > start else end
    return [start + timedelta(days=n) for n in range((last - start).days + 1)]


def lock_place(facility: Facility, service: str) -> Capacity | None:
    """Lock the capacity row of ``service`` at ``facility`` (see the module docstring) and
    return it, or lock the facility row and return None when no capacity is set."""
    capacity = Capacity.objects.select_for_update().filter(facility=facility, service=service)
    found = capacity.first()
    if found is None:
        Facility.objects.select_for_update().filter(pk=facility.pk).first()
    return found


def live_offers(now: datetime | None = None) -> Q:
    """Waitlist offers that still hold a place (not yet past their expiry)."""
    return Q(status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now or timezone.now())


def occupancy(
    facility: Facility,
    place: Place,
    first: date,
    last: date,
    *,
    exclude_entry: int | None = None,
    now: datetime | None = None,
) -> Counter[date]:
    """How many places are taken on each day ``first`` … ``last``: occupying bookings and
    live waitlist offers. Two queries, whatever the number of days and bookings."""
    taken: Counter[date] = Counter()
    bookings = Booking.objects.filter(
        facility=facility,
        service__in=place.codes,
        status__in=OCCUPYING,
        start_date__lte=last,
        end_date__gte=first,
    ).values_list("start_date", "end_date")
    for start, end in bookings:
        for day in occupied_days(start, end, place.nightly):
            if first <= day <= last:
                taken[day] += 1
    offers = WaitlistEntry.objects.filter(
        live_offers(now),
        facility=facility,
        service__in=place.codes,
        day__range=(first, last),
    )
    if exclude_entry is not None:
        offers = offers.exclude(pk=exclude_entry)
    for day in offers.values_list("day", flat=True):
        taken[day] += 1
    return taken


def policy_of(facility: Facility) -> BookingPolicy:
    """The facility's booking policy, or the defaults (unsaved) until it sets one."""
    return BookingPolicy.objects.filter(facility=facility).first() or BookingPolicy(
        facility=facility
    )


def held_status(mother: Mother, application: Application | None, municipality_id: int) -> str:
    """What an accepted booking becomes: confirmed when her application is approved (or, with
    no application named, when she holds an active voucher or usage card of the municipality),
    otherwise a provisional booking that follows the application."""
    if application is not None:
        approved = application.status == Application.Status.APPROVED
    else:
        approved = Voucher.objects.filter(
            mother=mother, municipality_id=municipality_id, status=Voucher.Status.ACTIVE
        ).exists()
    return Booking.Status.CONFIRMED if approved else Booking.Status.PROVISIONAL
