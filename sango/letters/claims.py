"""請求書: a facility's monthly claim (委託料請求) printed on A4 for the municipality.

The statement names the municipality and its head as the programme document signs its letters
(``process.letters.issuer``: 総社市長 様), the facility (name, address, telephone), the day of
the claim (submitted, or today for a draft) and the month in 和暦, every line, the total in
large type and the bank account to pay into. Facilities have no registered bank accounts yet:
the box then says that the account is the one notified separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sango.billing.models import ClaimLine, FacilityClaim
from sango.billing.selectors import claim_lines_for, line_totals
from sango.core.wareki import wareki
from sango.letters.parts import letter_settings, local_day, rules_on_or_first
from sango.letters.render import html_to_pdf
from sango.programs.rules_for import program_for
from sango.programs.templatetags.programmes import unit_name

NO_ACCOUNT = "振込先口座は別途届出のとおり"


@dataclass(frozen=True)
class StatementLine:
    number: int
    day: str  # 和暦
    voucher: str
    mother: str
    service: str
    quantity: str  # 1泊
    fee: int  # yen per unit
    amount: int  # yen claimed
    status: str  # 未審査, 承認, 返戻 …


@dataclass(frozen=True)
class Statement:
    """What the 請求書 prints; every figure in integer yen."""

    title: str
    number: str  # 請求番号, the claim's id
    issued_on: str  # 和暦: submitted, or today for a draft
    draft: bool  # not submitted yet: printed as a copy (控え)
    reviewed: bool  # some line accepted or returned: each line's review is printed
    municipality: str  # 総社市
    addressee: str  # 総社市長 様
    programme: str  # 総社市産後ケア事業
    month: str  # 令和8年11月
    facility: str
    address: str
    phone: str
    lines: tuple[StatementLine, ...]
    total: int
    approved_total: int | None
    returned_total: int
    bank_account: str | None  # None until facilities register their accounts


def claim_statement_pdf(claim: FacilityClaim) -> bytes:
    """The 請求書 of ``claim`` as a PDF (A4, Japanese whatever the request's language)."""
    with translation.override("ja"):
        html = render_to_string("letters/claim_statement.html", {"s": statement_for(claim)})
    return html_to_pdf(html)


def statement_for(claim: FacilityClaim, *, today: date | None = None) -> Statement:
    """The statement's content: the claim, its facility and municipality, and its lines
    (one query for the lines, with their uses, vouchers and mothers)."""
    program = program_for(claim.municipality.code)
    issued = local_day(claim.submitted_at) if claim.submitted_at else today or timezone.localdate()
    settings = letter_settings(rules_on_or_first(program, issued), program)
    lines = claim_lines_for(claim)
    facility = claim.facility
    return Statement(
        title="産後ケア事業委託料請求書",
        number=str(claim.pk),
        issued_on=wareki(issued),
        draft=claim.status == FacilityClaim.Status.DRAFT,
        reviewed=any(line.status != ClaimLine.Status.PENDING for line in lines),
        municipality=claim.municipality.name,
        addressee=f"{settings.issuer} 様",
        programme=f"{program.name}産後ケア事業",
        month=wareki(claim.month, month_only=True),
        facility=facility.name,
        address=facility.address,
        phone=facility.phone,
        lines=tuple(_line(n, line) for n, line in enumerate(lines, start=1)),
        total=claim.total,
        approved_total=claim.approved_total,
        returned_total=line_totals(lines)[ClaimLine.Status.REJECTED],
        bank_account=None,  # facility bank accounts come with their own issue
    )


def _line(number: int, line: ClaimLine) -> StatementLine:
    use = line.use
    return StatementLine(
        number=number,
        day=wareki(use.day),
        voucher=use.voucher.number,
        mother=use.voucher.mother.name,
        service=line.service_name,
        quantity=f"{use.quantity}{unit_name(line.unit) if line.unit else ''}",
        fee=use.fee,
        amount=line.amount,
        status=str(line.get_status_display()),
    )
