"""Applications in a fiscal year: received, approved and rejected per month, and how many days
a decision took against the programme's target (``process.decision_target_days``).

Received is counted on the day of receipt (受付日), decisions on the day of the decision, both in
Japan time. Days to decision are counted as the programme counts its target (business days or
calendar days, ``sango.applications.selectors.decision_timing``), for the approvals and
rejections decided in the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from sango.accounts import access
from sango.applications.models import Decision
from sango.core.calendar import business_days_between
from sango.reports.exports import Month
from sango.reports.fiscal import FiscalYear, vocabulary
from sango.reports.statistics import TOTAL, FigureTable

KINDS = (Decision.Kind.APPROVAL, Decision.Kind.REJECTION)


@dataclass(frozen=True)
class DecisionFigures:
    applications: FigureTable
    timing: FigureTable


def decision_figures(user: Any, year: FiscalYear) -> DecisionFigures:
    """Three queries: receipts per month, decisions per month and kind, decision dates."""
    applications = access.applications_visible_to(user).filter(municipality_id=user.municipality_id)
    received = (
        applications.filter(submitted_at__date__gte=year.first, submitted_at__date__lte=year.last)
        .annotate(month=ExtractMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    decisions = Decision.objects.filter(
        application__in=applications,
        kind__in=KINDS,
        decided_at__date__gte=year.first,
        decided_at__date__lte=year.last,
    )
    decided = (
        decisions.annotate(month=ExtractMonth("decided_at"))
        .values("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_month = {r["month"]: r["n"] for r in received}
    kinds = {(r["month"], r["kind"]): r["n"] for r in decided}
    rows: list[list[Any]] = []
    for first in year.months:
        m = first.month
        rows.append(
            [
                Month.of(first),
                by_month.get(m, 0),
                kinds.get((m, Decision.Kind.APPROVAL), 0),
                kinds.get((m, Decision.Kind.REJECTION), 0),
            ]
        )
    rows.append([TOTAL, *(sum(r[i] for r in rows) for i in (1, 2, 3))])
    table = FigureTable(
        key="applications",
        name="statistics_applications",
        title="月別の申請と決定",
        headers=["月", "受付（件）", "承認（件）", "不承認（件）"],
        rows=rows,
        note="受付は受付日、承認・不承認は決定日の月に数えます。",
        total_row=True,
    )
    pairs = decisions.values_list("application__submitted_at", "decided_at")
    return DecisionFigures(applications=table, timing=_timing(user, year, pairs))


def _timing(user: Any, year: FiscalYear, pairs) -> FigureTable:
    """Median days to decision and the share decided within the target."""
    program = vocabulary(user.municipality.code, year).program
    days: list[int] = []
    within = 0
    target_known = 0
    for submitted_at, decided_at in pairs:
        if submitted_at is None:
            continue
        submitted = timezone.localtime(submitted_at).date()
        decided = timezone.localtime(decided_at).date()
        rules = program.version_on(submitted) or program.versions[0]
        process = rules.process
        if process.decision_days == "business":
            n = business_days_between(submitted, decided)
        else:
            n = max((decided - submitted).days, 0)
        days.append(n)
        if process.decision_target_days is not None:
            target_known += 1
            within += n <= process.decision_target_days
    target = _target_text(program.versions[-1].process)
    middle = median(days) if days else None
    rows = [
        ["決定した申請（件）", len(days)],
        ["決定までの日数（中央値）", _number(middle)],
        ["目標", target],
        [
            "目標内に決定した割合",
            f"{within / target_known:.0%}（{within}／{target_known}件）" if target_known else None,
        ],
    ]
    return FigureTable(
        key="timing",
        name="statistics_decision_days",
        title="決定までの日数",
        headers=["項目", "値"],
        rows=rows,
        note="承認・不承認の決定について、受付日の翌日から決定日までを数えます。",
    )


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:g}日"


def _target_text(process) -> str:
    if process.decision_target_days is None:
        return "制度文書に目標の定めなし"
    counting = "開庁日" if process.decision_days == "business" else "日"
    return f"{process.decision_target_days}{counting}以内"
