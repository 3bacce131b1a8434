"""The pieces every letter is made of: the head (number, date, issuer, address window), the
office to contact, the grants and the voucher block.

Everything is read from objects already loaded by ``sango.letters.selectors`` and from the
programme's rules (``rules_on``), so building a letter runs no query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.safestring import SafeString

from sango.applications.models import Application, Decision
from sango.core.wareki import wareki
from sango.letters.qr import qr_svg
from sango.mothers.models import Mother
from sango.municipalities.models import Office
from sango.programs.rules_for import program_for
from sango.programs.selectors import facilities_on
from sango.programs.templatetags.programmes import unit_name
from sango.rules import schema as s
from sango.rules.program import Program, RuleSet
from sango.vouchers.models import Voucher
from sango.vouchers.services import voucher_qr_payload


@dataclass(frozen=True)
class Addressee:
    """What the window of a 長3 envelope shows."""

    postal_code: str
    address: str
    name: str


@dataclass(frozen=True)
class Contact:
    """The office to ask: name, 〒, address and telephone."""

    name: str
    postal_code: str
    address: str
    phone: str


@dataclass(frozen=True)
class Head:
    number: str  # 総こ第12号, or 2026年度 第12号
    issued_on: str  # 和暦
    issuer: str  # 総社市長
    title: str  # 総社市産後ケア事業利用承認通知書兼利用券
    addressee: Addressee


@dataclass(frozen=True)
class GrantLine:
    name: str  # the cap's name: 短期入所（ショートステイ）型
    quantity: str  # 3泊
    changed: bool = False  # changed by the 利用変更 this letter answers


@dataclass(frozen=True)
class VoucherBlock:
    """The part a facility reads: number in large type, QR code, holder, period, grants."""

    number: str
    qr: SafeString
    holder: str
    period: str
    grants: tuple[GrantLine, ...]
    facility: str


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def period(first: date | None, last: date | None) -> str:
    """``令和8年4月1日〜令和9年3月31日`` (both days inclusive)."""
    return f"{wareki(first)}〜{wareki(last)}"


def addressee(mother: Mother) -> Addressee:
    postal = mother.postal_code.strip()
    return Addressee(
        postal_code=f"〒{postal}" if postal else "",
        address=mother.address,
        name=f"{mother.name} 様",
    )


def letter_settings(rules: RuleSet, program: Program) -> s.Letters:
    """The programme's letter settings, or the municipality's name + 長 without a prefix."""
    return rules.process.letters or s.Letters(issuer=f"{program.name}長")


def document_number(decision: Decision, settings: s.Letters) -> str:
    """``総こ第12号`` with the programme's prefix, else ``2026年度 第12号``."""
    if settings.number_prefix:
        return f"{settings.number_prefix}第{decision.sequence}号"
    return decision.number


def head(decision: Decision, *, kind_title: str) -> Head:
    """The head of a decision letter, under the rules in force on the day it was decided."""
    program = program_for(decision.municipality.code)
    day = local_day(decision.decided_at)
    settings = letter_settings(rules_on_or_first(program, day), program)
    return Head(
        number=document_number(decision, settings),
        issued_on=wareki(day),
        issuer=settings.issuer,
        title=f"{program.name}産後ケア事業{kind_title}",
        addressee=addressee(decision.application.mother),
    )


def rules_on_or_first(program: Program, day: date) -> RuleSet:
    """The version in force on ``day``; the first version for a day before it."""
    return program.version_on(day) or program.versions[0]


def contact(office: Office | None, rules: RuleSet, program: Program) -> Contact | None:
    """The given office, else the programme's first office (``process.offices``)."""
    if office is not None:
        return Contact(office.name, office.postal_code, office.address, office.phone)
    offices = {o.code: o for o in program.document.offices}
    for code in rules.process.offices:
        found = offices[code]
        return Contact(found.name, found.postal_code or "", found.address, found.phone)
    return None


def grant_lines(
    rules: RuleSet, grants: dict[str, int], changed: frozenset[str] = frozenset()
) -> tuple[GrantLine, ...]:
    """Each grant as the cap's name and quantity with its unit (``3泊``), in the caps' order."""
    caps = {cap.code: cap for cap in rules.caps}
    order = [cap.code for cap in rules.caps]
    lines = []
    for code in sorted(grants, key=lambda c: order.index(c) if c in order else len(order)):
        cap = caps.get(code)
        name, unit = (cap.name, unit_name(cap.unit)) if cap else (code, "")
        lines.append(GrantLine(name, f"{grants[code]}{unit}", code in changed))
    return tuple(lines)


def granted_codes(rules: RuleSet, grants: dict[str, int]) -> list[str]:
    """The service and sub-type codes the granted caps count, without repeats."""
    codes: dict[str, None] = {}
    for cap in rules.caps:
        if cap.code in grants:
            codes.update(dict.fromkeys(cap.services))
    return list(codes)


def voucher_block(
    voucher: Voucher, *, holder: str, period_text: str, grants: tuple[GrantLine, ...], facility: str
) -> VoucherBlock:
    return VoucherBlock(
        number=voucher.number,
        qr=qr_svg(voucher_qr_payload(voucher)),
        holder=holder,
        period=period_text,
        grants=grants,
        facility=facility,
    )


def contact_first_lines(
    program: Program, rules: RuleSet, *, facility_slug: str | None, day: date
) -> tuple[str, ...]:
    """A line per facility that asks mothers to call the office first: the granted facility
    when one is set, else every facility in force with ``contact_municipality_first``."""
    if facility_slug:
        found = program.facilities.get(facility_slug)
        facilities = [found] if found else []
    else:
        facilities = facilities_on(program, day)
    office = contact(None, rules, program)
    where = f"{office.name}（電話 {office.phone}）" if office else "市の窓口"
    return tuple(
        f"{f.name}: 利用を希望する場合は、予約の前にまず{where}へ連絡してください。"
        for f in facilities
        if f.contact_municipality_first
    )


def application_grants(application: Application) -> dict[str, int]:
    return {grant.cap: grant.quantity for grant in application.grants.all()}
