"""Everything the statistics page (実績) shows for a fiscal year, from one call: the use
figures, applications and decisions, subsidy per funding source, the budget burn and the subsidy
claim report's figures. Each table is also a download (``table_for``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sango.reports.budgets import BudgetFigures, budget_figures
from sango.reports.decisions import DecisionFigures, decision_figures
from sango.reports.fiscal import FiscalYear, vocabulary
from sango.reports.funding import ClaimReport, YearSums, claim_report, funding_table
from sango.reports.statistics import FigureTable, UseFigures, use_figures


@dataclass(frozen=True)
class Statistics:
    year: FiscalYear
    uses: UseFigures
    decisions: DecisionFigures
    funding: FigureTable
    budget: BudgetFigures
    claim: ClaimReport

    @property
    def empty(self) -> bool:
        return self.claim.uses == 0

    @property
    def totals(self) -> dict[str, Any]:
        """The year's 実人員, 延べ利用数 and 延べ日数 (as ``1,234``) and subsidy (yen)."""
        _, mothers, uses, days, subsidy, _ = self.uses.monthly.rows[-1]
        return {
            "mothers": f"{mothers:,}",
            "uses": f"{uses:,}",
            "days": f"{days:,}",
            "subsidy": subsidy,
        }

    @property
    def months(self) -> list[str]:
        return [f"{m.month}月" for m in self.year.months]


def statistics_for(user: Any, year: FiscalYear) -> Statistics:
    """The page's figures (a fixed number of aggregate queries, whatever the data)."""
    uses = use_figures(user, year)
    funding = funding_table(user, year)
    # The claim report's sums are the year's totals already counted above: no third scan.
    _, mothers, count, *_ = uses.monthly.rows[-1]
    per_source = funding.rows[-1][1:-1]
    sources = vocabulary(user.municipality.code, year).sources()
    sums = YearSums(
        uses=count, mothers=mothers, by_source=dict(zip(sources, per_source, strict=True))
    )
    return Statistics(
        year=year,
        uses=uses,
        decisions=decision_figures(user, year),
        funding=funding,
        budget=budget_figures(user, year, uses.committed),
        claim=claim_report(user, year, sums),
    )


def _use_table(key: str) -> Callable[[Any, FiscalYear], FigureTable]:
    return lambda user, year: getattr(use_figures(user, year), key)


TABLES: dict[str, Callable[[Any, FiscalYear], FigureTable]] = {
    "monthly": _use_table("monthly"),
    "services": _use_table("services"),
    "month_service": _use_table("by_month_service"),
    "tiers": _use_table("tiers"),
    "facilities": _use_table("facilities"),
    "ages": _use_table("ages"),
    "applications": lambda user, year: decision_figures(user, year).applications,
    "timing": lambda user, year: decision_figures(user, year).timing,
    "funding": funding_table,
    "budget": lambda user, year: (
        budget_figures(user, year, use_figures(user, year).committed).table
    ),
}


def table_for(user: Any, year: FiscalYear, key: str) -> FigureTable:
    """One table of the page, by its ``key``; ``LookupError`` for a key it does not have."""
    if key not in TABLES:
        raise LookupError(key)
    return TABLES[key](user, year)
