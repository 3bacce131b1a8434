"""What the facility's 委託料請求 and 契約内容 pages read (kept beside ``selectors.py`` so that the
areas of the portal can grow apart): the facility's claims through ``sango.accounts.access``,
the municipalities it contracts with, and each contract's terms as the programme document in
force on the day gives them (``sango.programs.selectors.programme_page``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from sango.accounts import access
from sango.billing.models import ClaimLine, FacilityClaim
from sango.facilities.models import Contract
from sango.municipalities.models import Municipality
from sango.payments.selectors import paid_day
from sango.programs.selectors import FacilityRow, ProgrammePage, get_program, programme_page


def claims_list(
    user: Any, *, municipality: int | None = None, status: str | None = None
) -> QuerySet[FacilityClaim]:
    """The facility's claims, latest month first, with their number of lines and of returned
    lines (返戻)."""
    claims = access.claims_visible_to(user).select_related("municipality")
    if municipality:
        claims = claims.filter(municipality_id=municipality)
    if status:
        claims = claims.filter(status=status)
    return claims.annotate(
        paid_on=paid_day("claim"),
        line_count=Count("lines"),
        returned_count=Count("lines", filter=Q(lines__status=ClaimLine.Status.REJECTED)),
    ).order_by("-month", "municipality__code", "pk")


def claim_for(user: Any, pk: int) -> FacilityClaim:
    """One of the facility's claims, or 404 (another facility's claim is not found). Its lines
    come from ``sango.billing.selectors.claim_lines_for``."""
    claims = access.claims_visible_to(user).select_related(
        "facility", "municipality", "submitted_by", "reviewed_by"
    )
    return get_object_or_404(claims.annotate(paid_on=paid_day("claim")), pk=pk)


def contracted_municipalities(user: Any) -> list[Municipality]:
    """The municipalities whose current facility list names the user's facility, by code."""
    return list(
        Municipality.objects.filter(
            contracts__facility_id=user.facility_id, contracts__listed=True
        ).order_by("code")
    )


@dataclass(frozen=True)
class ContractTerms:
    """One municipality's contract with the facility, as the programme document in force on
    ``page.day`` lists it; ``row`` is None when the document lists no contract in force that day
    (or no programme document is loaded: then ``page`` is None too)."""

    contract: Contract
    page: ProgrammePage | None
    row: FacilityRow | None

    @property
    def municipality(self) -> Municipality:
        return self.contract.municipality


def contract_terms(user: Any, day: date) -> list[ContractTerms]:
    """The terms of each listed contract of the user's facility on ``day``, by municipality."""
    contracts = (
        Contract.objects.filter(facility_id=user.facility_id, listed=True)
        .select_related("facility", "municipality")
        .order_by("municipality__code")
    )
    terms = []
    for contract in contracts:
        program = get_program(contract.municipality.code)
        page = programme_page(program, day, today=day) if program else None
        rows = page.facilities if page else ()
        row = next((r for r in rows if r.facility.id == contract.facility.slug), None)
        terms.append(ContractTerms(contract=contract, page=page, row=row))
    return terms
