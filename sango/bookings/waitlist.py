"""キャンセル待ち: mothers waiting for a full day. When a place frees, the first mother waiting
for that day is offered it (``sango.bookings.offers``); she (or the facility, or こども課 on her
behalf) takes it up before the offer expires, or it passes to the next in line."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.applications.models import Application
from sango.audit.services import audit_record
from sango.bookings.checks import check_horizon, check_offered, check_open, check_windows
from sango.bookings.models import Booking, WaitlistEntry
from sango.bookings.offers import expire_due, offer_freed
from sango.bookings.places import Full, held_status, lock_place, occupancy, place_for, places_of
from sango.core.errors import InvalidState, ServiceError
from sango.facilities.models import Facility
from sango.mothers.models import Mother

Waiting = WaitlistEntry.Status
OPEN = (Waiting.WAITING, Waiting.OFFERED)


def _require_for(actor: Any, mother: Mother, facility_id: int, municipality_id: int) -> None:
    require_acts_for(
        actor,
        "このキャンセル待ちを扱う権限がありません。",
        municipality_id=municipality_id,
        facility_id=facility_id,
        mother=mother,
    )


@transaction.atomic
def waitlist_join(
    *,
    facility: Facility,
    mother: Mother,
    actor: Any,
    service: str,
    day: date,
    application: Application | None = None,
) -> WaitlistEntry:
    """Put her on the waitlist for ``day`` (the night starting that day, for a stay). Only a
    full day has a waitlist; the same checks as a booking request apply."""
    _require_for(actor, mother, facility.pk, mother.municipality_id)
    check_offered(
        facility=facility, mother=mother, service=service, on=day, application=application
    )
    place = place_for(facility, service, day)
    check_open(facility=facility, days=[day])
    check_horizon(facility=facility, days=[day], today=timezone.localdate())
    check_windows(facility=facility, mother=mother, service=service, days=[day])
    capacity = lock_place(facility, place.service)
    if capacity is None:
        raise ServiceError(
            "この施設は受入枠を設定していません。予約を入れてください。", field="day"
        )
    expire_due(facility, place, capacity)
    mine = WaitlistEntry.objects.filter(
        facility=facility, mother=mother, service__in=place.codes, day=day, status__in=OPEN
    )
    if mine.exists():
        raise ServiceError("この日はすでにキャンセル待ちに登録されています。", field="day")
    if occupancy(facility, place, day, day)[day] < capacity.places:
        raise ServiceError("この日はまだ空きがあります。予約を入れてください。", field="day")
    entry = WaitlistEntry.objects.create(
        facility=facility,
        municipality_id=mother.municipality_id,
        mother=mother,
        application=application,
        service=service,
        day=day,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="waitlist.join",
        target=entry,
        application=application,
        after={"status": entry.status, "service": service, "day": day.isoformat()},
    )
    return entry


@transaction.atomic
def waitlist_accept_offer(*, entry: WaitlistEntry, actor: Any) -> Booking:
    """She takes the place she was offered: a booking for that day (a 1泊2日 stay from that
    day), confirmed when her application is approved or she holds a usage card, else
    provisional. Refused once the offer has expired (the place has passed on)."""
    _require_for(actor, entry.mother, entry.facility_id, entry.municipality_id)
    facility = entry.facility
    place = place_for(facility, entry.service, entry.day)
    capacity = lock_place(facility, place.service)
    expire_due(facility, place, capacity)
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("mother", "application")
        .get(pk=entry.pk)
    )
    if entry.status == Waiting.EXPIRED:
        raise InvalidState("ご案内の回答期限が過ぎたため、次の方にご案内しました。")
    if entry.status != Waiting.OFFERED:
        raise InvalidState("このキャンセル待ちには空きのご案内がありません。")
    taken = occupancy(facility, place, entry.day, entry.day, exclude_entry=entry.pk)
    if capacity is not None and taken[entry.day] >= capacity.places:
        raise Full([entry.day], place.nightly)
    end = entry.day + timedelta(days=1) if place.nightly else entry.day
    booking = Booking.objects.create(
        facility=facility,
        municipality_id=entry.municipality_id,
        mother=entry.mother,
        application=entry.application,
        service=entry.service,
        start_date=entry.day,
        end_date=end,
        status=held_status(entry.mother, entry.application, entry.municipality_id),
        created_by=actor,
    )
    entry.status, entry.booking = Waiting.ACCEPTED, booking
    entry.save(update_fields=["status", "booking", "updated_at"])
    audit_record(
        actor=actor,
        action="waitlist.accept",
        target=entry,
        application=entry.application,
        before={"status": Waiting.OFFERED},
        after={"status": Waiting.ACCEPTED},
    )
    audit_record(
        actor=actor,
        action="booking.create",
        target=booking,
        application=booking.application,
        after={
            "status": booking.status,
            "service": booking.service,
            "start_date": booking.start_date.isoformat(),
            "end_date": booking.end_date.isoformat(),
            "from": "waitlist",
        },
    )
    return booking


@transaction.atomic
def waitlist_withdraw(*, entry: WaitlistEntry, actor: Any) -> WaitlistEntry:
    """取り下げ: she no longer waits; a place she was offered passes to the next in line."""
    _require_for(actor, entry.mother, entry.facility_id, entry.municipality_id)
    facility = entry.facility
    try:
        place = place_for(facility, entry.service, entry.day)
    except ServiceError:
        place = None
    capacity = lock_place(facility, place.service) if place else None
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in OPEN:
        raise InvalidState("このキャンセル待ちはすでに終わっています。")
    before = entry.status
    entry.status = Waiting.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="waitlist.withdraw",
        target=entry,
        application=entry.application,
        before={"status": before},
        after={"status": Waiting.WITHDRAWN},
    )
    if place is not None and before == Waiting.OFFERED:
        offer_freed(facility, place, capacity, [entry.day])
    return entry


def waitlist_offers_expire(*, facility: Facility | None = None, now: datetime | None = None) -> int:
    """Expire every offer past its expiry (at ``facility``, or everywhere) and pass each place
    to the next mother waiting; how many expired. One transaction per place, so a long run
    holds no lock for long. Cheap when nothing is due (one query)."""
    now = now or timezone.now()
    due = WaitlistEntry.objects.filter(status=Waiting.OFFERED, offer_expires_at__lte=now)
    if facility is not None:
        due = due.filter(facility=facility)
    pairs = sorted(set(due.values_list("facility_id", "service")))
    expired = 0
    for facility_id in sorted({f for f, _ in pairs}):
        where = facility if facility is not None else Facility.objects.get(pk=facility_id)
        services = {s for f, s in pairs if f == facility_id}
        places = places_of(where)
        touched = {p.service: p for p in places.values() if p.codes & services}
        for code in sorted(touched):
            with transaction.atomic():
                capacity = lock_place(where, code)
                expired += expire_due(where, touched[code], capacity, now=now)
        orphans = services - {c for p in touched.values() for c in p.codes}
        if orphans:  # no longer offered at the facility: nothing to pass on
            expired += due.filter(facility_id=facility_id, service__in=orphans).update(
                status=Waiting.EXPIRED, updated_at=now
            )
    return expired
