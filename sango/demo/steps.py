"""The steps every 総社市 case shares, each one call of a real service, as the people at
こども課 and the facilities take them. The clerk's login stands for the public health nurse
who does the interview."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sango.applications.models import Application, TierBasis
from sango.applications.services import (
    application_approve,
    application_create,
    application_record_interview,
    application_submit,
    application_verify_tier,
)
from sango.bookings.models import Booking
from sango.bookings.services import booking_create
from sango.demo.context import Demo, facility, office
from sango.demo.people import SOJA_PEOPLE
from sango.vouchers.models import Voucher

SOJA = "332089"
NEED = ["support_needed"]  # 総社市こども家庭センターや産婦健康診査での相談等によって支援が必要


def new_application(demo: Demo, key: str, *, user: Any = None, **fields: Any) -> Application:
    """The mother, and the draft a clerk enters from her paper application at こども課."""
    mother = demo.mother(SOJA_PEOPLE[key], SOJA, user=user)
    return application_create(
        actor=demo.users["soja-clerk"],
        mother=mother,
        office_id=office(SOJA, "kodomo").pk,
        needs=NEED,
        **fields,
    )


def book(
    demo: Demo,
    application: Application,
    slug: str,
    service: str,
    start: date,
    end: date,
    actor: str,
    note: str = "",
) -> Booking:
    """仮予約: the mother rings the facility and holds dates (くにとみクリニック: こども課 does)."""
    return booking_create(
        facility=facility(slug),
        mother=application.mother,
        actor=demo.users[actor],
        service=service,
        start_date=start,
        end_date=end,
        application=application,
        note=note,
    )


def submit(demo: Demo, application: Application, day: date) -> None:
    """受付 at the counter (総社市 takes applications in person only)."""
    application_submit(
        application=application,
        actor=demo.users["soja-clerk"],
        channel=Application.Channel.IN_PERSON,
        submitted_at=demo.at(day, 10, 30),
    )


def interview(
    demo: Demo,
    application: Application,
    day: date,
    method: str = "phone",
    assessment: str = "",
    exclusions: list[str] | None = None,
) -> None:
    """聞き取り調査 by the public health nurse (the clerk's login stands for the nurse)."""
    application_record_interview(
        application=application,
        actor=demo.users["soja-clerk"],
        conducted_at=demo.at(day, 14),
        method=method,
        needs_found=NEED,
        exclusions_found=exclusions,
        assessment=assessment,
    )


def verify_tier(demo: Demo, application: Application, tier: str, basis: str = TierBasis.LEDGER):
    application_verify_tier(
        application=application, actor=demo.users["soja-clerk"], tier=tier, basis=basis
    )


def approve(
    demo: Demo,
    application: Application,
    grants: dict[str, int],
    valid_from: date,
    valid_until: date | None = None,
) -> Voucher:
    """承認: the numbered letter and the voucher (利用承認通知書兼利用券); bookings confirmed."""
    application_approve(
        application=application,
        actor=demo.users["soja-approver"],
        grants=grants,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return Voucher.objects.get(application=application)


def walk_to_approval(
    demo: Demo,
    application: Application,
    tier: str,
    grants: dict[str, int],
    basis: str = TierBasis.LEDGER,
    valid_until: date | None = None,
) -> Voucher:
    """Submitted five days after the birth, interviewed two days later, approved from day 10."""
    delivery = application.mother.delivery_date
    submit(demo, application, after(delivery, 5))
    verify_tier(demo, application, tier, basis)
    interview(demo, application, after(delivery, 7))
    return approve(demo, application, grants, after(delivery, 10), valid_until)


def after(day: date, days: int) -> date:
    return day + timedelta(days=days)
