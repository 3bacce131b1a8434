"""Provisional bookings: held at a facility before approval, confirmed on approval, released on
rejection or cancellation (総社市: 「施設へ連絡し、利用予定日の仮予約をした後…申請」)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from sango.accounts.roles import require_acts_for
from sango.applications.models import Application
from sango.audit.services import audit_record
from sango.bookings.models import Booking
from sango.core.errors import InvalidState, ServiceError
from sango.facilities.models import Contract, Facility
from sango.mothers.models import Mother
from sango.programs.rules_for import rules_on

Status = Booking.Status


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
    """仮予約 of ``service`` from ``start_date`` to ``end_date`` (inclusive), by the facility,
    the municipality or the mother herself."""
    require_acts_for(
        actor,
        "この予約を入れる権限がありません。",
        municipality_id=mother.municipality_id,
        facility_id=facility.pk,
        mother=mother,
    )
    if end_date < start_date:
        raise ServiceError("終了日は開始日以降にしてください。", field="end_date")
    contract = Contract.objects.filter(
        facility=facility, municipality_id=mother.municipality_id, listed=True
    ).first()
    if contract is None:
        raise ServiceError("この施設はお住まいの市町村の委託施設ではありません。", field="facility")
    rules = rules_on(mother.municipality.code, start_date)
    if not rules.knows(service):
        raise ServiceError("この制度にないサービスです。", field="service")
    offered = set(contract.services)
    subtypes = (
        {sub.code for sub in rules.services[service].subtypes}
        if service in rules.services
        else set()
    )
    if not ({service, rules.parent_code(service)} | subtypes) & offered:
        raise ServiceError("この施設ではこのサービスを実施していません。", field="service")
    if application is not None and application.mother_id != mother.pk:
        raise ServiceError("申請とお母さんが一致しません。", field="application")
    booking = Booking.objects.create(
        facility=facility,
        municipality_id=mother.municipality_id,
        mother=mother,
        application=application,
        service=service,
        start_date=start_date,
        end_date=end_date,
        note=note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="booking.create",
        target=booking,
        application=application,
        after={
            "status": booking.status,
            "service": service,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
        },
    )
    return booking


def _move(booking: Booking, actor: Any, to: str, action: str) -> Booking:
    before = booking.status
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=booking,
        application=booking.application,
        before={"status": before},
        after={"status": to},
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Any) -> Booking:
    """取消 by the mother, the facility or the municipality (cancellation fees are the facility's
    own business and outside the subsidy)."""
    booking = Booking.objects.select_for_update().select_related("mother").get(pk=booking.pk)
    require_acts_for(
        actor,
        "この予約を取り消す権限がありません。",
        municipality_id=booking.municipality_id,
        facility_id=booking.facility_id,
        mother=booking.mother,
    )
    if booking.status not in (Status.PROVISIONAL, Status.CONFIRMED):
        raise InvalidState("この予約はすでに解除または取消されています。")
    return _move(booking, actor, Status.CANCELLED, "booking.cancel")


def bookings_confirm_for(*, application: Application, actor: Any) -> int:
    """On approval: the application's provisional bookings become confirmed."""
    held = Booking.objects.select_for_update().filter(
        application=application, status=Status.PROVISIONAL
    )
    return sum(1 for b in held if _move(b, actor, Status.CONFIRMED, "booking.confirm"))


def bookings_release_for(*, application: Application, actor: Any) -> int:
    """On rejection or cancellation: the application's open bookings are released."""
    held = Booking.objects.select_for_update().filter(
        application=application, status__in=[Status.PROVISIONAL, Status.CONFIRMED]
    )
    return sum(1 for b in held if _move(b, actor, Status.RELEASED, "booking.release"))
