"""What every booking and waitlist service checks before it takes a place: the facility's
contract with the mother's municipality and the service, its closed days, how far ahead it
takes bookings, and the postpartum windows for her baby's age on each day."""

from __future__ import annotations

from datetime import date, timedelta

from sango.applications.models import Application
from sango.bookings.models import ClosedDay
from sango.bookings.places import policy_of
from sango.bookings.windows import window_reasons
from sango.core.errors import Refused, ServiceError
from sango.core.wareki import wareki
from sango.facilities.models import Contract, Facility
from sango.mothers.models import Mother
from sango.programs.rules_for import program_for, rules_on


def check_offered(
    *,
    facility: Facility,
    mother: Mother,
    service: str,
    on: date,
    application: Application | None = None,
) -> Contract:
    """The facility is contracted by her municipality and offers ``service`` (a service or
    a sub-type of her programme) on ``on``; ``application`` is hers."""
    contract = Contract.objects.filter(
        facility=facility, municipality_id=mother.municipality_id, listed=True
    ).first()
    if contract is None:
        raise ServiceError("この施設はお住まいの市町村の委託施設ではありません。", field="facility")
    rules = rules_on(mother.municipality.code, on)
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
    return contract


def check_open(*, facility: Facility, days: list[date]) -> None:
    """None of ``days`` is one of the facility's closed days."""
    closed = ClosedDay.objects.filter(facility=facility, day__in=days).order_by("day")
    found = [f"{wareki(c.day)}{f'（{c.note}）' if c.note else ''}" for c in closed]
    if found:
        raise ServiceError(f"{'、'.join(found)}は休業日です。", field="start_date")


def check_horizon(*, facility: Facility, days: list[date], today: date) -> None:
    """Every day is between today and the last day the facility takes bookings for."""
    policy = policy_of(facility)
    if days[0] < today:
        raise ServiceError("過去の日付は予約できません。", field="start_date")
    last = today + timedelta(days=policy.horizon_days)
    if days[-1] > last:
        raise ServiceError(
            f"この施設の予約は{policy.horizon_days}日先（{wareki(last)}）までの受付です。",
            field="end_date",
        )


def check_windows(*, facility: Facility, mother: Mother, service: str, days: list[date]) -> None:
    """Her baby is inside the programme's, the service's and the facility's windows on every
    day. Before the birth is registered there is no age to judge: a date held in pregnancy
    (総社市: 「施設へ連絡し、利用予定日の仮予約をした後…申請」) is checked at the use."""
    infants = list(mother.infants.all())
    delivery = max((i.birth_date for i in infants), default=None)
    if delivery is None:
        return
    due_dates = [i.due_date for i in infants if i.birth_date == delivery and i.due_date]
    reasons = window_reasons(
        program=program_for(mother.municipality.code),
        facility_slug=facility.slug,
        service=service,
        birth_date=delivery,
        due_date=max(due_dates) if due_dates else None,
        days=days,
    )
    if reasons:
        raise Refused(
            "この日程では利用できません（産後の利用期間の外です）。",
            [reason.as_dict() for reason in reasons],
        )
