"""The lines of one facility claim (委託料請求) as a table for Excel, one row per line, with
Japanese headers; written with ``sango.reports.files`` (``csv_utf8`` / ``csv_cp932``).

The claim is one the caller already found through ``sango.accounts.access``. Dates are ISO by
house rule, yen plain integers; services are named as the programme version that judged each
use names them.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from sango.billing.models import ClaimLine, FacilityClaim
from sango.billing.selectors import claim_lines_for
from sango.reports.exports import Month, Table
from sango.rules.messages import UNIT_NAMES

HEADERS = [
    "対象月",
    "請求先",
    "施設",
    "明細番号",
    "利用日",
    "利用券番号",
    "氏名",
    "サービス",
    "数量",
    "単位",
    "料金（1単位）",
    "請求額",
    "審査",
    "返戻の理由",
    "備考",
]
MONEY = ("料金（1単位）", "請求額")


def claim_lines(claim: FacilityClaim) -> Table:
    """One row per line of ``claim``, in the order of the days of service. 請求額 is what the
    facility claims for the line (the municipality's share of the use), in yen."""
    with translation.override("ja"):
        status = {value: str(label) for value, label in ClaimLine.Status.choices}
        lines = claim_lines_for(claim)
        rows = [_row(claim, number, line, status) for number, line in enumerate(lines, start=1)]
    return Table(
        name=f"claim_{claim.municipality.code}_{claim.month:%Y-%m}",
        title=f"委託料請求明細_{claim.municipality.name}_{claim.month.year}年{claim.month.month}月",
        headers=HEADERS,
        rows=rows,
        money=MONEY,
    )


def _row(claim: FacilityClaim, number: int, line: ClaimLine, status: dict[str, str]) -> list[Any]:
    use = line.use
    return [
        Month.of(claim.month),
        claim.municipality.name,
        claim.facility.name,
        number,
        use.day,
        use.voucher.number,
        use.voucher.mother.name,
        line.service_name,
        use.quantity,
        UNIT_NAMES.get(line.unit, (line.unit,))[0] if line.unit else "",
        use.fee,
        line.amount,
        status.get(line.status, line.status),
        _reason(line),
        line.rejection_note,
    ]


def _reason(line: ClaimLine) -> str:
    """``4 料金が契約と異なります`` for a returned line, else empty."""
    if line.rejection_reason is None:
        return ""
    return f"{line.rejection_reason} {line.get_rejection_reason_display()}"
