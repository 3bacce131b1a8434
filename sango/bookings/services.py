"""Bookings: requested by こども課 (and later the mother herself) and answered by the facility,
or entered by the facility itself; held before approval, confirmed on approval, released on
rejection or cancellation (総社市: 「施設へ連絡し、利用予定日の仮予約をした後…申請」).

Every service that takes or frees a place holds the capacity lock of ``sango.bookings.places``
while it counts, so a facility is never booked beyond its capacity; a freed place is offered to
the waitlist (``sango.bookings.offers``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.applications.models import Application
from sango.audit.services import audit_record
from sango.bookings.checks import check_horizon, check_offered, check_open, check_windows
from sango.bookings.models import OCCUPYING, Booking
from sango.bookings.offers import free_places, offer_freed, take_places
from sango.bookings.places import held_status, occupied_days, place_for, policy_of
from sango.core.errors import InvalidState, ServiceError
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.notifications.events.bookings import booking_moved, booking_requested
from sango.programs.rules_for import rules_on

Status = Booking.Status
# Bounds on what is typed, not rules of any facility: one booking spans at most a month, and
# nobody books more than two years ahead (a facility's own horizon is usually much shorter).
MAX_BOOKING_DAYS = 31
MAX_DAYS_AHEAD = 730


@transaction.atomic
def booking_create(
    *,
    facility: Facility,
    mother: Mother,
    actor: Any,
    service: str,
    start_date: date,
    end_date: date,
    application: Application | None = None,
    note: str = "",
) -> Booking:
    """A booking the facility (or こども課, or the mother) enters directly, from
    ``start_date`` to ``end_date`` (inclusive): confirmed when her application is approved or
    she holds a usage card, else a provisional booking (仮予約) that follows the application.
    Refused on a closed day, outside her baby's windows, or when full (``places.Full``)."""
    require_acts_for(
        actor,
        "この予約を入れる権限がありません。",
        municipality_id=mother.municipality_id,
        facility_id=facility.pk,
        mother=mother,
    )
    return _book(
        facility=facility,
        mother=mother,
        actor=actor,
        service=service,
        start_date=start_date,
        end_date=end_date,
        application=application,
        note=note,
        status=held_status(mother, application, mother.municipality_id),
    )


@transaction.atomic
def booking_request(
    *,
    facility: Facility,
    mother: Mother,
    actor: Any,
    service: str,
    start_date: date,
    end_date: date,
    application: Application | None = None,
    note: str = "",
) -> Booking:
    """申込: a request for dates that waits for the facility's answer (``booking_accept`` or
    ``booking_decline``) and holds its places meanwhile. Made by the mother's municipality or
    the mother herself, inside the facility's booking horizon."""
    require_acts_for(
        actor,
        "この施設に予約を申し込む権限がありません。",
        municipality_id=mother.municipality_id,
        mother=mother,
    )
    return _book(
        facility=facility,
        mother=mother,
        actor=actor,
        service=service,
        start_date=start_date,
        end_date=end_date,
        application=application,
        note=note,
        status=Status.REQUESTED,
        horizon=True,
    )


def _book(
    *,
    facility: Facility,
    mother: Mother,
    actor: Any,
    service: str,
    start_date: date,
    end_date: date,
    application: Application | None,
    note: str,
    status: str,
    horizon: bool = False,
) -> Booking:
    if end_date < start_date:
        raise ServiceError("終了日は開始日以降にしてください。", field="end_date")
    if (end_date - start_date).days > MAX_BOOKING_DAYS:
        raise ServiceError(f"1回の予約は{MAX_BOOKING_DAYS}日までです。", field="end_date")
    if start_date > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
        raise ServiceError("2年より先の予約は入れられません。", field="start_date")
    check_offered(
        facility=facility, mother=mother, service=service, on=start_date, application=application
    )
    place = place_for(facility, service, start_date)
    days = occupied_days(start_date, end_date, place.nightly)
    check_open(facility=facility, days=days)
    if horizon:
        check_horizon(facility=facility, days=days, today=timezone.localdate())
    check_windows(facility=facility, mother=mother, service=service, days=days)
    take_places(facility, place, days)
    booking = Booking.objects.create(
        facility=facility,
        municipality_id=mother.municipality_id,
        mother=mother,
        application=application,
        service=service,
        start_date=start_date,
        end_date=end_date,
        status=status,
        note=note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="booking.request" if status == Status.REQUESTED else "booking.create",
        target=booking,
        application=application,
        after={
            "status": booking.status,
            "service": service,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
        },
    )
    if status == Status.REQUESTED:
        booking_requested(booking=booking)
    return booking


def _move(booking: Booking, actor: Any, to: str, action: str, **after: Any) -> Booking:
    before = booking.status
    booking.status = to
    booking.save(update_fields=["status", "decline_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=booking,
        application=booking.application,
        before={"status": before},
        after={"status": to, **after},
    )
    booking_moved(booking=booking, to=to)
    return booking


def _require_facility(actor: Any, booking: Booking, message: str) -> None:
    require_acts_for(actor, message, facility_id=booking.facility_id)


@transaction.atomic
def booking_accept(*, booking: Booking, actor: Any) -> Booking:
    """受ける: the facility takes a request. It becomes confirmed when her application is
    approved (or she holds a usage card), else provisional until the decision."""
    _require_facility(actor, booking, "この予約に返事をする権限がありません。")
    booking = _locked(booking)
    if booking.status != Status.REQUESTED:
        raise InvalidState("この予約は返事を待っていません。")
    to = held_status(booking.mother, booking.application, booking.municipality_id)
    return _move(booking, actor, to, "booking.accept")


@transaction.atomic
def booking_decline(*, booking: Booking, actor: Any, reason: str) -> Booking:
    """お断り with a reason the requester reads; the places go to the waitlist."""
    _require_facility(actor, booking, "この予約に返事をする権限がありません。")
    if not reason.strip():
        raise ServiceError("お断りする理由を入力してください。", field="reason")
    return _free(
        booking, actor, Status.DECLINED, "booking.decline", (Status.REQUESTED,), reason.strip()
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Any) -> Booking:
    """取消 by the mother, the facility or the municipality; the places go to the waitlist.
    A cancellation after the facility's deadline is still taken (any fee is the facility's
    own business, outside the subsidy); the audit records that it was late."""
    require_acts_for(
        actor,
        "この予約を取り消す権限がありません。",
        municipality_id=booking.municipality_id,
        facility_id=booking.facility_id,
        mother=booking.mother,
    )
    late = timezone.now() > cancellation_deadline(booking)
    return _free(booking, actor, Status.CANCELLED, "booking.cancel", OCCUPYING, late=late)


def _free(
    booking: Booking,
    actor: Any,
    to: str,
    action: str,
    allowed: tuple[str, ...],
    reason: str = "",
    **after: Any,
) -> Booking:
    try:
        place = place_for(booking.facility, booking.service, booking.start_date)
    except ServiceError:
        place = None  # no longer offered there: nothing to pass on, but it can still end
    days = occupied_days(booking.start_date, booking.end_date, place.nightly) if place else []
    capacity = free_places(booking.facility, place, days) if place else None
    booking = _locked(booking)
    if booking.status not in allowed:
        if to == Status.DECLINED:
            raise InvalidState("この予約は返事を待っていません。")
        raise InvalidState("この予約はすでに解除、取消またはお断りされています。")
    booking.decline_reason = reason
    _move(booking, actor, to, action, **after)
    if place is not None:
        offer_freed(booking.facility, place, capacity, days)
    return booking


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("mother", "facility", "application")
        .get(pk=booking.pk)
    )


def cancellation_deadline(booking: Booking) -> datetime:
    """The facility's cancellation deadline: ``cancel_hours`` before the arrival (the
    programme's check-in time where it sets one, else the start of the day)."""
    arrival = datetime.combine(booking.start_date, datetime.min.time())
    try:
        rules = rules_on(booking.municipality.code, booking.start_date)
        service = rules.services.get(rules.parent_code(booking.service))
        if service is not None and service.schedule is not None:
            arrival = datetime.combine(booking.start_date, service.schedule.check_in)
    except ServiceError:
        pass
    hours = policy_of(booking.facility).cancel_hours
    return timezone.make_aware(arrival) - timedelta(hours=hours)


def bookings_confirm_for(*, application: Application, actor: Any) -> int:
    """On approval: the application's provisional bookings become confirmed (requests stay
    with the facility until it answers; accepting one then confirms it)."""
    held = Booking.objects.select_for_update().filter(
        application=application, status=Status.PROVISIONAL
    )
    return sum(1 for b in held if _move(b, actor, Status.CONFIRMED, "booking.confirm"))


def bookings_attach_to(*, application: Application, actor: Any) -> int:
    """On submission: the dates she held before applying (総社市: 「施設へ連絡し、利用予定日の
    仮予約をした後…申請」, a request or 仮予約 naming no application) now follow the
    application, so that its approval confirms them and a rejection releases them."""
    held = Booking.objects.select_for_update().filter(
        mother_id=application.mother_id,
        municipality_id=application.municipality_id,
        application__isnull=True,
        status__in=(Status.REQUESTED, Status.PROVISIONAL),
    )
    attached = 0
    for booking in held:
        booking.application = application
        booking.save(update_fields=["application", "updated_at"])
        audit_record(
            actor=actor,
            action="booking.attach",
            target=booking,
            application=application,
            after={"status": booking.status},
        )
        attached += 1
    return attached


def bookings_release_for(*, application: Application, actor: Any) -> int:
    """On rejection or cancellation: the application's open bookings (and requests) are
    released, and their places offered to the waitlist."""
    open_ = Booking.objects.filter(application=application, status__in=OCCUPYING)
    released = 0
    for booking in open_.select_related("facility").order_by("facility_id", "pk"):
        released += 1
        _free(booking, actor, Status.RELEASED, "booking.release", OCCUPYING)
    return released
