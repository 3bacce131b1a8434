"""What a facility sets for its bookings: its capacity per service (受入枠), its closed days
(休業日) and its booking policy (how far ahead, the cancellation deadline and note, how long a
waitlist offer stays open). Only the facility's own staff (or a system administrator) set them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.audit.services import audit_record
from sango.bookings.models import (
    OCCUPYING,
    Booking,
    BookingPolicy,
    Capacity,
    ClosedDay,
    WaitlistEntry,
)
from sango.bookings.offers import offer_freed
from sango.bookings.places import lock_place, occupancy, places_of
from sango.core.errors import ServiceError
from sango.core.wareki import wareki
from sango.facilities.models import Facility

MAX_PLACES = 999
LISTED_DAYS = 10  # days named in a refusal before "ほか○日"


def _require_staff(actor: Any, facility: Facility) -> None:
    require_acts_for(actor, "この施設の設定を変える権限がありません。", facility_id=facility.pk)


@transaction.atomic
def capacity_set(*, facility: Facility, actor: Any, service: str, places: int) -> Capacity:
    """Set how many mothers the facility takes per night (stays) or per day of ``service``.
    Refused when a day from today on already has more bookings than ``places``: the refusal
    names those days and how many are booked, never who. A larger capacity is offered to the
    waitlist at once."""
    _require_staff(actor, facility)
    place = places_of(facility).get(service)
    if place is None:
        raise ServiceError("この施設ではこのサービスを実施していません。", field="service")
    if not 0 <= places <= MAX_PLACES:
        raise ServiceError(f"受入枠は0から{MAX_PLACES}までです。", field="places")
    capacity = lock_place(facility, service)
    today = timezone.localdate()
    last = Booking.objects.filter(
        facility=facility, service__in=place.codes, status__in=OCCUPYING, end_date__gte=today
    ).aggregate(last=Max("end_date"))["last"]
    taken = occupancy(facility, place, today, last) if last else {}
    over = sorted((day, n) for day, n in taken.items() if n > places)
    if over:
        named = "、".join(f"{wareki(day)}（{n}件）" for day, n in over[:LISTED_DAYS])
        more = f" ほか{len(over) - LISTED_DAYS}日" if len(over) > LISTED_DAYS else ""
        raise ServiceError(
            f"受入枠を{places}にはできません。次の日はすでにそれより多くの予約があります: "
            f"{named}{more}",
            field="places",
        )
    before = capacity.places if capacity else None
    if capacity is None:
        capacity = Capacity.objects.create(
            facility=facility, service=service, places=places, updated_by=actor
        )
    else:
        capacity.places, capacity.updated_by = places, actor
        capacity.save(update_fields=["places", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action="capacity.set",
        target=capacity,
        before={"service": service, "places": before},
        after={"service": service, "places": places},
    )
    if before is not None and places > before:
        waiting_days = WaitlistEntry.objects.filter(
            facility=facility,
            service__in=place.codes,
            status=WaitlistEntry.Status.WAITING,
            day__gte=today,
        ).values_list("day", flat=True)
        offer_freed(facility, place, capacity, list(waiting_days))
    return capacity


@transaction.atomic
def closed_day_add(*, facility: Facility, actor: Any, day: date, note: str = "") -> ClosedDay:
    """休業日. Refused for a past day, a day already closed, or a day with live bookings (the
    facility cancels or moves them first; the refusal says how many, never whose)."""
    _require_staff(actor, facility)
    if day < timezone.localdate():
        raise ServiceError("過去の日は休業日にできません。", field="day")
    if ClosedDay.objects.filter(facility=facility, day=day).exists():
        raise ServiceError(f"{wareki(day)}はすでに休業日です。", field="day")
    booked = sum(
        occupancy(facility, place, day, day)[day] for place in places_of(facility).values()
    )
    if booked:
        raise ServiceError(
            f"{wareki(day)}には予約が{booked}件あります。先に予約を取り消すか、別の日にしてください。",
            field="day",
        )
    closed = ClosedDay.objects.create(facility=facility, day=day, note=note.strip())
    audit_record(
        actor=actor, action="closed_day.add", target=closed, after={"day": day.isoformat()}
    )
    return closed


@transaction.atomic
def closed_day_remove(*, closed_day: ClosedDay, actor: Any) -> None:
    """The facility opens a closed day again."""
    _require_staff(actor, closed_day.facility)
    audit_record(
        actor=actor,
        action="closed_day.remove",
        target=closed_day,
        before={"day": closed_day.day.isoformat()},
    )
    closed_day.delete()


POLICY_LIMITS = {
    "horizon_days": (1, 730),
    "cancel_hours": (0, 720),
    "offer_hours": (1, 168),
}


@transaction.atomic
def policy_set(
    *,
    facility: Facility,
    actor: Any,
    horizon_days: int,
    cancel_hours: int,
    cancel_note: str,
    offer_hours: int,
) -> BookingPolicy:
    """How far ahead bookings are taken (days), the cancellation deadline (hours before the
    arrival), the facility's own cancellation note, and how long a waitlist offer stays open
    (hours)."""
    _require_staff(actor, facility)
    values = {
        "horizon_days": horizon_days,
        "cancel_hours": cancel_hours,
        "offer_hours": offer_hours,
    }
    for name, value in values.items():
        low, high = POLICY_LIMITS[name]
        if not low <= value <= high:
            raise ServiceError(f"{low}から{high}までの数で入力してください。", field=name)
    policy, _ = BookingPolicy.objects.select_for_update().get_or_create(facility=facility)
    before = {name: getattr(policy, name) for name in values}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.cancel_note, policy.updated_by = cancel_note.strip(), actor
    policy.save()
    audit_record(
        actor=actor, action="booking_policy.set", target=policy, before=before, after=values
    )
    return policy


@transaction.atomic
def booking_settings_set(
    *,
    facility: Facility,
    actor: Any,
    capacities: dict[str, int | None],
    horizon_days: int,
    cancel_hours: int,
    cancel_note: str,
    offer_hours: int,
) -> BookingPolicy:
    """The settings page in one step: each service's capacity (None leaves it unset; an
    unchanged one is not touched) and the policy. A refused capacity names its field
    ``places_<service>``; nothing is saved then."""
    current = dict(Capacity.objects.filter(facility=facility).values_list("service", "places"))
    for service in sorted(capacities):
        places = capacities[service]
        if places is None or current.get(service) == places:
            continue
        try:
            capacity_set(facility=facility, actor=actor, service=service, places=places)
        except ServiceError as error:
            raise ServiceError(error.message, code=error.code, field=f"places_{service}") from None
    return policy_set(
        facility=facility,
        actor=actor,
        horizon_days=horizon_days,
        cancel_hours=cancel_hours,
        cancel_note=cancel_note,
        offer_hours=offer_hours,
    )
