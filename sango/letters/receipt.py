"""領収書: what a facility hands the mother for what she paid at one use — the copay the
programme left her and the extras outside the subsidy (meals, nappies) — with the share her
municipality pays the facility shown beside it. A5, Japanese, numbered by the use's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sango.core.errors import ServiceError
from sango.core.wareki import wareki
from sango.letters.render import html_to_pdf
from sango.programs.rules_for import program_for
from sango.programs.selectors import service_name
from sango.programs.templatetags.programmes import unit_name
from sango.usage.models import Use


@dataclass(frozen=True)
class Receipt:
    """The figures of one receipt, in yen; dates already in 和暦."""

    number: str
    issued_on: str
    facility_name: str
    facility_address: str
    facility_phone: str
    mother_name: str
    municipality: str
    served: str  # the day of service, or the stay's first and last day
    service: str
    quantity: str  # 2泊
    fee: int  # per unit
    fee_total: int
    subsidy: int
    copay: int
    extras: int
    received: int  # copay + extras: what the mother paid


def receipt_for(use: Use, *, issued_on: date | None = None) -> Receipt:
    """The receipt of a recorded use (a voided use has none: ``ServiceError``)."""
    if use.status != Use.Status.RECORDED:
        raise ServiceError("取り消された利用の領収書は発行できません。", code="invalid_state")
    rules = program_for(use.municipality.code).version_on(use.day)
    name, unit = use.service, ""
    if rules is not None:
        name = service_name(rules, use.service)
        service = rules.services.get(rules.parent_code(use.service))
        unit = service.unit if service else ""
    facility = use.facility
    last = _last_day(use, unit)
    served = wareki(use.day) if last == use.day else f"{wareki(use.day)}〜{wareki(last)}"
    return Receipt(
        number=str(use.pk),
        issued_on=wareki(issued_on or timezone.localdate()),
        facility_name=facility.name if facility else "",
        facility_address=facility.address if facility else "",
        facility_phone=facility.phone if facility else "",
        mother_name=use.voucher.mother.name,
        municipality=use.municipality.name,
        served=served,
        service=name,
        quantity=f"{use.quantity}{unit_name(unit)}",
        fee=use.fee,
        fee_total=use.subsidy + use.copay,
        subsidy=use.subsidy,
        copay=use.copay,
        extras=use.extras,
        received=use.copay + use.extras,
    )


def _last_day(use: Use, unit: str) -> date:
    """The day the care ended: the end given, else counted from the quantity (a stay of 2
    nights ends 2 days later; 2 days of day care end the next day)."""
    if use.end:
        return timezone.localtime(use.end).date()
    if unit == "night":
        return use.day + timedelta(days=use.quantity)
    if unit == "day":
        return use.day + timedelta(days=use.quantity - 1)
    return use.day


def receipt_pdf(use: Use) -> bytes:
    """The 領収書 of ``use`` as an A5 PDF. Load the use with its voucher's mother, its facility
    and its municipality (``select_related``)."""
    with translation.override("ja"):
        html = render_to_string("letters/receipt.html", {"receipt": receipt_for(use)})
    return html_to_pdf(html)
