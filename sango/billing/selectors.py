"""Reading a facility claim line by line, as the facility portal, the 請求書 PDF and the CSV show
it: each line with its use, voucher and mother, and the service named as the programme version
that judged the use names it (never the code)."""

from __future__ import annotations

from datetime import date

from sango.billing.models import ClaimLine, FacilityClaim
from sango.programs.registry import get_registry
from sango.programs.selectors import service_name


def claim_lines_for(claim: FacilityClaim) -> list[ClaimLine]:
    """The claim's lines in the order of their day of service (one query), each given
    ``service_name`` (短期入所（ショートステイ）型) and ``unit`` (the unit code: ``night``, for
    ``unit_name``) under the programme version the use was judged by."""
    lines = list(
        ClaimLine.objects.filter(claim=claim)
        .select_related("use__voucher__mother")
        .order_by("use__day", "pk")
    )
    namer = _ServiceNamer(claim.municipality.code)
    for line in lines:
        line.service_name, line.unit = namer(line.use.version, line.use.service)
    return lines


def line_totals(lines: list[ClaimLine]) -> dict[str, int]:
    """Yen by line status (pending, accepted, rejected), every status present."""
    totals = dict.fromkeys(ClaimLine.Status.values, 0)
    for line in lines:
        totals[line.status] += line.amount
    return totals


class _ServiceNamer:
    """(name, unit code) of a service under one version, looked up once per version and code;
    the code itself (and no unit) when the programme does not know it."""

    def __init__(self, municipality_code: str) -> None:
        self.program = get_registry().get(municipality_code)
        self.found: dict[tuple[date, str], tuple[str, str]] = {}

    def __call__(self, version: date, code: str) -> tuple[str, str]:
        key = (version, code)
        if key not in self.found:
            rules = self.program.version_on(version) if self.program else None
            if rules is None or not rules.knows(code):
                self.found[key] = (code, "")
            else:
                unit = rules.services[rules.parent_code(code)].unit
                self.found[key] = (service_name(rules, code), unit)
        return self.found[key]
