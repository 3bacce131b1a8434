"""Places taken and freed under the capacity lock, and the waitlist offers a freed place makes.

Every function here runs inside the caller's transaction, after ``lock_place`` (or calls it):
the lock is what makes counting and taking one step. An offer holds its place until it expires;
an expired offer passes the place to the next mother waiting for that day. Offers expire
lazily — whoever takes or frees a place first expires what is past due — and also when the
task ``waitlist_expire_offers`` runs (queued for each offer's expiry).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.audit.services import audit_record
from sango.bookings.models import Capacity, WaitlistEntry
from sango.bookings.places import Full, Place, lock_place, occupancy, policy_of
from sango.facilities.models import Facility
from sango.notifications.events.bookings import waitlist_offered

Waiting = WaitlistEntry.Status


def take_places(
    facility: Facility,
    place: Place,
    days: Iterable[date],
    *,
    exclude_entry: int | None = None,
    now: datetime | None = None,
) -> Capacity | None:
    """Lock the place, expire past-due offers, and raise ``Full`` unless each of ``days`` has
    a place free (``exclude_entry``: the offer being taken up, whose place is hers). The caller
    saves its booking in the same transaction, under the lock. No capacity set: no limit."""
    days = sorted(days)
    capacity = lock_place(facility, place.service)
    if capacity is None or not days:
        return capacity
    expire_due(facility, place, capacity, now=now)
    taken = occupancy(facility, place, days[0], days[-1], exclude_entry=exclude_entry)
    full = [day for day in days if taken[day] >= capacity.places]
    if full:
        raise Full(full, place.nightly)
    return capacity


def free_places(
    facility: Facility, place: Place, days: Iterable[date], *, now: datetime | None = None
) -> Capacity | None:
    """Lock the place before a booking on ``days`` gives its places back; the caller then
    changes the booking and calls ``offer_freed``."""
    capacity = lock_place(facility, place.service)
    if capacity is not None:
        expire_due(facility, place, capacity, now=now)
    return capacity


def offer_freed(
    facility: Facility,
    place: Place,
    capacity: Capacity | None,
    days: Iterable[date],
    *,
    now: datetime | None = None,
) -> list[WaitlistEntry]:
    """Offer each free place on ``days`` to the first mother waiting for that day, in the
    order they joined; the offers made."""
    days = sorted(set(days))
    if capacity is None or not days:
        return []
    now = now or timezone.now()
    waiting = list(
        WaitlistEntry.objects.select_for_update()
        .filter(
            facility=facility,
            service__in=place.codes,
            status=Waiting.WAITING,
            day__in=days,
        )
        .order_by("day", "created_at", "pk")
    )
    if not waiting:
        return []
    taken = occupancy(facility, place, days[0], days[-1], now=now)
    hours = policy_of(facility).offer_hours
    offered = []
    for entry in waiting:
        if taken[entry.day] >= capacity.places:
            continue
        taken[entry.day] += 1
        entry.status = Waiting.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = now + timedelta(hours=hours)
        entry.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        audit_record(
            actor=None,
            action="waitlist.offer",
            target=entry,
            application=entry.application,
            before={"status": Waiting.WAITING},
            after={"status": Waiting.OFFERED, "expires_at": entry.offer_expires_at.isoformat()},
        )
        _expire_later(entry.offer_expires_at)
        waitlist_offered(entry=entry)
        offered.append(entry)
    return offered


def expire_due(
    facility: Facility,
    place: Place,
    capacity: Capacity | None,
    *,
    now: datetime | None = None,
    actor: Any = None,
) -> int:
    """Expire the place's offers past their expiry and pass each place on; how many expired."""
    now = now or timezone.now()
    due = list(
        WaitlistEntry.objects.select_for_update().filter(
            facility=facility,
            service__in=place.codes,
            status=Waiting.OFFERED,
            offer_expires_at__lte=now,
        )
    )
    for entry in due:
        entry.status = Waiting.EXPIRED
        entry.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="waitlist.expire",
            target=entry,
            application=entry.application,
            before={"status": Waiting.OFFERED},
            after={"status": Waiting.EXPIRED},
        )
    if due:
        offer_freed(facility, place, capacity, [e.day for e in due], now=now)
    return len(due)


def _expire_later(at: datetime) -> None:
    """Queue the expiry task for the moment the offer runs out, once the offer is saved."""
    from sango.bookings.jobs import waitlist_expire_offers

    transaction.on_commit(lambda: waitlist_expire_offers.using(run_after=at).enqueue())
