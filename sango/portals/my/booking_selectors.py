"""What マイページ reads for her bookings: her bookings with each facility's cancellation
deadline, her waitlist, on what she may book (approved, or a 仮予約 before applying), and the
facilities of her programme by service and area. Every read starts from
``sango.accounts.access``, so another mother's booking is a 404."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from sango.accounts.access import (
    applications_visible_to,
    bookings_visible_to,
    vouchers_visible_to,
    waitlist_visible_to,
)
from sango.applications.models import Application
from sango.bookings.models import OCCUPYING, Booking, WaitlistEntry
from sango.bookings.places import policy_of
from sango.bookings.services import cancellation_deadline
from sango.bookings.waitlist import OPEN as WAITLIST_OPEN
from sango.facilities.models import Contract, Facility
from sango.mothers.models import Mother
from sango.portals.my.selectors import (
    UNDER_WAY,
    current_vouchers,
    mother_of,
    rules_or_none,
    with_service_names,
)

# 岡山県倉敷市… → 倉敷市; 岡山市北区… → 岡山市; 加賀郡吉備中央町… → 吉備中央町
AREA = re.compile(r"^(?:.{2,3}[都道府県])?(?:.+?郡)?(.+?[市町村])")


def _with_deadline(booking: Booking, now: Any) -> Booking:
    """``deadline``: the facility's cancellation deadline; ``open``: it still holds places and
    has not ended; ``can_cancel``: open and before the deadline (after it, she phones)."""
    booking.deadline = cancellation_deadline(booking)
    booking.open = booking.status in OCCUPYING and booking.end_date >= timezone.localdate(now)
    booking.can_cancel = booking.open and now <= booking.deadline
    return booking


def booking_rows(user: Any) -> list[Booking]:
    """Her bookings, open ones first by date then the rest newest first, each with the
    programme's service name and its deadline (``_with_deadline``): one query, and one per
    booking for its facility's policy (at most 50)."""
    now = timezone.now()
    found = [
        _with_deadline(booking, now)
        for booking in bookings_visible_to(user)
        .select_related("facility", "municipality")
        .order_by("-start_date", "-pk")[:50]
    ]
    found.sort(key=lambda b: (not b.open, b.start_date.toordinal() * (1 if b.open else -1)))
    return with_service_names(found, "service", "start_date")


def booking_detail(user: Any, pk: int) -> Booking:
    """One booking of hers (404 otherwise), with its service name, deadline and the
    facility's note on cancelling."""
    found = bookings_visible_to(user).select_related("facility", "municipality", "mother")
    booking = _with_deadline(get_object_or_404(found, pk=pk), timezone.now())
    booking.cancel_note = policy_of(booking.facility).cancel_note
    return with_service_names([booking], "service", "start_date")[0]


def waitlist_rows(user: Any) -> list[WaitlistEntry]:
    """Her open waitlist entries from today (an offer she may take first), with names."""
    found = list(
        waitlist_visible_to(user)
        .filter(status__in=WAITLIST_OPEN, day__gte=timezone.localdate())
        .select_related("facility", "municipality")
        .order_by("-status", "day", "pk")[:20]
    )
    return with_service_names(found, "service", "day")


def waitlist_entry_of(user: Any, pk: int) -> WaitlistEntry:
    found = waitlist_visible_to(user).select_related("facility", "mother", "application")
    return get_object_or_404(found, pk=pk)


@dataclass
class BookingBasis:
    """On what she books: her record, the application a booking follows, whether it is a
    仮予約 before approval, and, when she cannot book yet, why (``refusal``, '' when she can).

    With an active voucher or usage card she books as approved; where the programme takes
    provisional bookings before the application (総社市: 「施設へ連絡し、利用予定日の仮予約を
    した後…申請」) she holds a date, following the application she has under way if any."""

    mother: Mother | None
    application: Application | None = None
    provisional: bool = False
    refusal: str = ""


def booking_basis(user: Any) -> BookingBasis:
    mother = mother_of(user)
    if mother is None:
        return BookingBasis(None, refusal=_("まず、あなたと赤ちゃんの情報を入力してください。"))
    today = timezone.localdate()
    voucher = (
        current_vouchers(vouchers_visible_to(user), today)
        .select_related("application")
        .order_by("-issued_at")
        .first()
    )
    if voucher is not None:
        return BookingBasis(mother, voucher.application)
    rules = rules_or_none(mother.municipality.code, today)
    if rules is not None and rules.process.provisional_booking:
        under_way = (
            applications_visible_to(user).filter(status__in=UNDER_WAY).order_by("-pk").first()
        )
        return BookingBasis(mother, under_way, provisional=True)
    return BookingBasis(mother, refusal=_("予約は、利用が承認されて利用券が届いてからできます。"))


@dataclass(frozen=True)
class Bookable:
    """A facility of her programme and the services it offers her, in the programme's words."""

    facility: Facility
    services: list[tuple[str, str]]
    own_patients_only: bool
    contact_municipality_first: bool

    @property
    def area(self) -> str:
        """The city (or town) of its address, prefecture left out: 倉敷市, 岡山市."""
        found = AREA.match(self.facility.address)
        return found.group(1) if found else self.facility.address


def facilities_to_book(mother: Mother) -> list[Bookable]:
    """The facilities her municipality contracts (listed), with the services of today's rules
    each offers; one query."""
    rules = rules_or_none(mother.municipality.code, timezone.localdate())
    if rules is None:
        return []
    contracts = (
        Contract.objects.filter(municipality_id=mother.municipality_id, listed=True)
        .select_related("facility")
        .order_by("facility__name")
    )
    found = []
    for contract in contracts:
        offered = [
            (code, service.name)
            for code, service in rules.services.items()
            if code in {rules.parent_code(c) for c in contract.services}
        ]
        if offered:
            found.append(
                Bookable(
                    contract.facility,
                    offered,
                    contract.own_patients_only,
                    contract.contact_municipality_first,
                )
            )
    return found


@dataclass(frozen=True)
class Area:
    name: str
    facilities: list[Bookable]
    home: bool


def booking_areas(mother: Mother, service: str) -> list[Area]:
    """The facilities offering ``service`` by area, her own city first, then by size: what
    she picks from without scrolling through every facility."""
    by_area: dict[str, list[Bookable]] = {}
    for bookable in facilities_to_book(mother):
        if service in dict(bookable.services):
            by_area.setdefault(bookable.area, []).append(bookable)
    home = mother.municipality.name
    areas = [Area(name, found, name == home) for name, found in by_area.items()]
    return sorted(areas, key=lambda a: (not a.home, -len(a.facilities), a.name))


def services_to_book(mother: Mother) -> list[tuple[str, str]]:
    """The services some facility of her programme offers, in the programme's order."""
    found: dict[str, str] = {}
    for bookable in facilities_to_book(mother):
        found.update(bookable.services)
    rules = rules_or_none(mother.municipality.code, timezone.localdate())
    order = list(rules.services) if rules else []
    return sorted(found.items(), key=lambda item: order.index(item[0]))


def bookable_of(mother: Mother, pk: int) -> Bookable:
    """One facility of her programme (404 when her municipality does not contract it)."""
    for bookable in facilities_to_book(mother):
        if bookable.facility.pk == pk:
            return bookable
    raise Http404
