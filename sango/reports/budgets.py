"""The budget of a fiscal year against what its subsidies have come to.

- 助成額（記録済み） (committed): the subsidy of the uses recorded in the year, on their day of use;
- 請求確定額 (claimed): what the municipality has agreed to pay for them — the accepted lines of
  approved facility claims (委託料請求) and the approved out-of-area reimbursements (償還払い),
  again on the day of use. Payment batches (支払) are not kept yet; when they are, 支払済み is a
  third series beside these two, read the same way from the paid batches (``claimed_by_month``
  is the one place to put it beside).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from sango.accounts import access
from sango.billing.models import ClaimLine, FacilityClaim
from sango.reimbursements.models import Reimbursement
from sango.reports.exports import Month
from sango.reports.fiscal import FiscalYear
from sango.reports.models import Budget
from sango.reports.statistics import TOTAL, FigureTable, grouped_by_month
from sango.usage.models import Use


@dataclass(frozen=True)
class BudgetFigures:
    budget: int | None  # yen; None until entered
    committed: list[int]  # cumulative yen at the end of each month, April first
    claimed: list[int]
    table: FigureTable

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else self.budget - self.committed[-1]


def budget_of(user: Any, year: FiscalYear) -> Budget | None:
    return Budget.objects.filter(
        municipality_id=user.municipality_id, fiscal_year=year.year
    ).first()


def claimed_by_month(user: Any, year: FiscalYear) -> dict[int, int]:
    """請求確定額 per calendar month of use (two aggregate queries)."""
    in_year = {
        "use__status": Use.Status.RECORDED,
        "use__day__gte": year.first,
        "use__day__lte": year.last,
    }
    lines = (
        ClaimLine.objects.filter(
            claim__in=access.claims_visible_to(user).filter(
                municipality_id=user.municipality_id, status=FacilityClaim.Status.APPROVED
            ),
            status=ClaimLine.Status.ACCEPTED,
            **in_year,
        )
        .annotate(month=ExtractMonth("use__day"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    refunds = (
        access.reimbursements_visible_to(user)
        .filter(
            voucher__municipality_id=user.municipality_id,
            status=Reimbursement.Status.APPROVED,
            **in_year,
        )
        .annotate(month=ExtractMonth("use__day"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = grouped_by_month(lines, "month", "total")
    for month, amount in grouped_by_month(refunds, "month", "total").items():
        totals[month] = totals.get(month, 0) + amount
    return totals


def budget_figures(user: Any, year: FiscalYear, committed: dict[Month, int]) -> BudgetFigures:
    """The budget burn: ``committed`` is the subsidy per month from the use figures."""
    budget = budget_of(user, year)
    amount = budget.amount if budget else None
    months = [Month.of(m) for m in year.months]
    claimed = claimed_by_month(user, year)
    per_committed = [committed.get(m, 0) for m in months]
    per_claimed = [claimed.get(m.month, 0) for m in months]
    run_committed = list(accumulate(per_committed))
    run_claimed = list(accumulate(per_claimed))
    rows: list[list[Any]] = [
        [
            m,
            per_committed[i],
            run_committed[i],
            per_claimed[i],
            run_claimed[i],
            _rate(run_committed[i], amount),
        ]
        for i, m in enumerate(months)
    ]
    rows.append(
        [
            TOTAL,
            run_committed[-1],
            run_committed[-1],
            run_claimed[-1],
            run_claimed[-1],
            _rate(run_committed[-1], amount),
        ]
    )
    table = FigureTable(
        key="budget",
        name="statistics_budget",
        title="予算の執行状況",
        headers=[
            "月",
            "助成額（記録済み）（円）",
            "助成額の累計（円）",
            "請求確定額（円）",
            "請求確定額の累計（円）",
            "予算に対する累計",
        ],
        rows=rows,
        money=(
            "助成額（記録済み）（円）",
            "助成額の累計（円）",
            "請求確定額（円）",
            "請求確定額の累計（円）",
        ),
        note="請求確定額は、承認した委託料請求の明細と支給決定した償還払いの額です（支払済みの額ではありません）。",
        total_row=True,
    )
    return BudgetFigures(budget=amount, committed=run_committed, claimed=run_claimed, table=table)


def _rate(spent: int, budget: int | None) -> str | None:
    """The share of the budget used, to a tenth of a percent (shown, not computed with);
    empty until a budget is entered."""
    if not budget:
        return None
    return f"{spent / budget:.1%}"
