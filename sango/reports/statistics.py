"""実績: what the programme did in a fiscal year, from the uses as the rules core judged them.

Counted: uses recorded and not void (a correction voids the use it corrects, so a corrected use
is counted once, with its corrected figures), on their day of service (利用日) within the year.

- 実人員 (mothers served): distinct mothers with at least one such use in the period; a year's
  or a service's figure is counted over the whole period, so it is not the sum of the months.
- 延べ利用数 (uses): records of use.
- 延べ日数 (days): the days on which care was given. A stay counted in nights covers its nights
  plus one (1泊2日 = 2日, 2泊3日 = 3日); a service counted in days covers that many days; a visit,
  session, hour-counted day care or other use is given on one day.
- 利用時の月齢 (baby's age at use): whole months completed since the birth on the day of use
  (born 10 May → 1 month on 10 June), in the bands of ``AGE_BANDS``. A mother whose babies were
  born at different births (rare within a year) is counted in each baby's band.

Every figure is an aggregate in SQL through the ORM; the number of queries is the same for a
year of ten uses and of a million. Tables are ``exports.Table`` rows: the page shows them and
``sango.reports.files`` writes the same rows as CSV and XLSX.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan, LessThan

from sango.accounts import access
from sango.reports.exports import Month, Table
from sango.reports.fiscal import FiscalYear, Vocabulary, vocabulary
from sango.rules.messages import UNIT_NAMES
from sango.usage.models import Use

# (label, first month, last month) — inclusive; months completed since the birth.
AGE_BANDS = (
    ("0か月", 0, 0),
    ("1か月", 1, 1),
    ("2か月", 2, 2),
    ("3か月", 3, 3),
    ("4～5か月", 4, 5),
    ("6～11か月", 6, 11),
    ("12か月以上", 12, None),
)
REIMBURSED = "償還払い（委託外の施設）"
TOTAL = "合計"
MOTHER = "voucher__mother_id"


@dataclass
class FigureTable(Table):
    """An export table that the page also shows: ``key`` names it in URLs, ``note`` says what
    is counted, ``total_row`` marks a last row that sums the others."""

    key: str = ""
    note: str = ""
    total_row: bool = False

    @property
    def grid(self) -> list[list[tuple[Any, str]]]:
        """Each cell with its kind for the template: month, yen, count, empty or text."""
        money = [h in self.money for h in self.headers]
        return [
            [
                (f"{v:,}" if k == "count" else v, k)
                for v, m in zip(row, money, strict=True)
                for k in (_kind(v, m),)
            ]
            for row in self.rows
        ]


def _kind(value: Any, money: bool) -> str:
    if value is None:
        return "empty"
    if isinstance(value, Month):
        return "month"
    if isinstance(value, int):
        return "yen" if money else "count"
    return "text"


def recorded_uses(user: Any, year: FiscalYear) -> QuerySet[Use]:
    """The uses the year's figures count: the user's municipality's, recorded (not void), on a
    day of the year."""
    return access.uses_visible_to(user).filter(
        municipality_id=user.municipality_id,
        status=Use.Status.RECORDED,
        day__gte=year.first,
        day__lte=year.last,
    )


def days_expression(words: Vocabulary) -> Case:
    """延べ日数 of one use, by the unit its service counts in (see the module docstring)."""
    codes = words.service_order()
    nights = [c for c in codes if words.unit(c) == "night"]
    days = [c for c in codes if words.unit(c) == "day"]
    return Case(
        When(service__in=nights, then=F("quantity") + 1),
        When(service__in=days, then=F("quantity")),
        default=Value(1),
        output_field=IntegerField(),
    )


def parent_expression(words: Vocabulary) -> Case | F:
    """The service a use's code belongs to (a sub-type's service, or the code itself)."""
    whens = [
        When(service=code, then=Value(words.parent(code)))
        for code in words.service_order()
        if words.parent(code) != code
    ]
    return Case(*whens, default=F("service")) if whens else F("service")


def _metrics(words: Vocabulary) -> dict[str, Any]:
    """The aggregates of a group, named ``f_<figure>`` (a bare ``quantity`` would clash with
    the field of that name)."""
    return {
        "f_mothers": Count(MOTHER, distinct=True),
        "f_uses": Count("id"),
        "f_quantity": Sum("quantity"),
        "f_days": Sum(days_expression(words)),
        "f_subsidy": Sum("subsidy"),
        "f_copay": Sum("copay"),
    }


EMPTY = {"mothers": 0, "uses": 0, "quantity": 0, "days": 0, "subsidy": 0, "copay": 0}


def _figures_of(row: dict[str, Any]) -> dict[str, int]:
    return {m: row[f"f_{m}"] or 0 for m in EMPTY}


def _grouped(queryset: QuerySet, key: str, words: Vocabulary) -> dict[Any, dict[str, int]]:
    """The metrics per value of the annotation or field ``key``."""
    rows = queryset.values(key).annotate(**_metrics(words)).order_by()
    return {row[key]: _figures_of(row) for row in rows}


# --- the tables -----------------------------------------------------------------------------

FIGURE_HEADERS = ["実人員（人）", "延べ利用数（件）", "延べ日数（日）", "助成額（円）"]


def _figures(m: dict[str, int]) -> list[int]:
    return [m["mothers"], m["uses"], m["days"], m["subsidy"]]


@dataclass
class UseFigures:
    """The use tables of a year, and the per-month series the charts draw."""

    monthly: FigureTable
    services: FigureTable
    by_month_service: FigureTable
    tiers: FigureTable
    facilities: FigureTable
    ages: FigureTable
    committed: dict[Month, int] = field(default_factory=dict)  # yen of subsidy per month
    series: dict[str, list[int]] = field(default_factory=dict)  # service name -> uses a month


def use_figures(user: Any, year: FiscalYear) -> UseFigures:
    """Every use figure of the year (nine aggregate queries, whatever the number of uses)."""
    words = vocabulary(user.municipality.code, year)
    base = recorded_uses(user, year).annotate(month=ExtractMonth("day"))
    year_total = _figures_of(base.aggregate(**_metrics(words)))
    monthly = _grouped(base, "month", words)
    by_parent = _grouped(base.annotate(parent=parent_expression(words)), "parent", words)
    # Sub-type rows need their own grouping; a programme without sub-types is spared the scan.
    has_subtypes = any(words.parent(c) != c for c in words.service_order())
    by_code = _grouped(base, "service", words) if has_subtypes else {}
    month_parent = (
        base.annotate(parent=parent_expression(words))
        .values("month", "parent")
        .annotate(uses=Count("id"))
        .order_by()
    )
    cells = {(r["month"], r["parent"]): r["uses"] for r in month_parent}
    months = [Month.of(m) for m in year.months]
    parents = [c for c in words.service_order() if words.parent(c) == c]
    series = {words.service(p): [cells.get((m.month, p), 0) for m in months] for p in parents}
    figures = UseFigures(
        monthly=_monthly_table(months, monthly, year_total),
        services=_service_table(words, by_parent, by_code, year_total),
        by_month_service=_month_service_table(months, series),
        tiers=_tier_table(words, _grouped(base, "tier", words), year_total),
        facilities=_facility_table(base, words, year_total),
        ages=_age_table(base),
        committed={m: monthly.get(m.month, EMPTY)["subsidy"] for m in months},
        series=series,
    )
    return figures


def _total(year_total: dict[str, int | None]) -> dict[str, int]:
    return {m: year_total.get(m) or 0 for m in EMPTY}


def _monthly_table(months: list[Month], monthly: dict, year_total: dict) -> FigureTable:
    rows: list[list[Any]] = []
    for month in months:
        m = monthly.get(month.month, EMPTY)
        rows.append([month, *_figures(m), m["copay"]])
    rows.append([TOTAL, *_figures(_total(year_total)), _total(year_total)["copay"]])
    return FigureTable(
        key="monthly",
        name="statistics_monthly",
        title="月別の利用実績",
        headers=["月", *FIGURE_HEADERS, "自己負担額（円）"],
        rows=rows,
        money=("助成額（円）", "自己負担額（円）"),
        note="実人員の合計は年度を通じて数えた人数です（各月の和ではありません）。",
        total_row=True,
    )


def _service_table(words: Vocabulary, by_parent: dict, by_code: dict, year_total: dict):
    rows: list[list[Any]] = []
    for code in words.service_order():
        parent = words.parent(code)
        m = by_parent.get(code, EMPTY) if parent == code else by_code.get(code, EMPTY)
        name = words.service(code) if parent == code else "　" + words.service(code)
        unit = UNIT_NAMES.get(words.unit(code) or "", ("", ""))[0]
        rows.append([name, m["mothers"], m["uses"], m["quantity"], unit, m["days"], m["subsidy"]])
    t = _total(year_total)
    rows.append([TOTAL, t["mothers"], t["uses"], None, "", t["days"], t["subsidy"]])
    return FigureTable(
        key="services",
        name="statistics_services",
        title="サービス別の利用実績",
        headers=[
            "サービス",
            "実人員（人）",
            "延べ利用数（件）",
            "利用量",
            "単位",
            "延べ日数（日）",
            "助成額（円）",
        ],
        rows=rows,
        money=("助成額（円）",),
        note="字下げした行はそのサービスの種類の内訳です（サービスの行に含まれます）。"
        "延べ日数は、宿泊は泊数に1を足した日数（1泊2日は2日）、日数で数えるサービスはその日数、"
        "ほかは1回を1日と数えます。",
        total_row=True,
    )


def _month_service_table(months: list[Month], series: dict[str, list[int]]) -> FigureTable:
    rows = [[m, *(counts[i] for counts in series.values())] for i, m in enumerate(months)]
    rows.append([TOTAL, *(sum(counts) for counts in series.values())])
    return FigureTable(
        key="month_service",
        name="statistics_uses_by_month",
        title="月別・サービス別の延べ利用数",
        headers=["月", *(f"{name}（件）" for name in series)],
        rows=rows,
        total_row=True,
    )


def _tier_table(words: Vocabulary, by_tier: dict, year_total: dict) -> FigureTable:
    codes = words.tier_order() + [c for c in by_tier if c not in words.tier_order()]
    rows = [[words.tier(c), *_figures(by_tier.get(c, EMPTY))] for c in codes]
    rows.append([TOTAL, *_figures(_total(year_total))])
    return FigureTable(
        key="tiers",
        name="statistics_tiers",
        title="世帯の区分別の利用実績",
        headers=["世帯の区分", *FIGURE_HEADERS],
        rows=rows,
        money=("助成額（円）",),
        total_row=True,
    )


def _facility_table(base: QuerySet, words: Vocabulary, year_total: dict) -> FigureTable:
    rows = (
        base.values("facility_id", "facility__name")
        .annotate(**_metrics(words))
        .order_by(F("facility__name").asc(nulls_last=True))
    )
    body = [[r["facility__name"] or REIMBURSED, *_figures(_figures_of(r))] for r in rows]
    return FigureTable(
        key="facilities",
        name="statistics_facilities",
        title="施設別の利用実績",
        headers=["施設", *FIGURE_HEADERS],
        rows=[*body, [TOTAL, *_figures(_total(year_total))]],
        money=("助成額（円）",),
        total_row=True,
    )


def months_since_birth(birth: str, day: str = "day") -> Any:
    """Whole months from the date field ``birth`` to ``day``, in SQL: the difference of the
    months, less one while the day of the month has not come round yet."""
    months = (ExtractYear(day) - ExtractYear(birth)) * 12 + ExtractMonth(day) - ExtractMonth(birth)
    return months - Case(
        When(GreaterThan(ExtractDay(birth), ExtractDay(day)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _age_table(base: QuerySet) -> FigureTable:
    birth = "voucher__mother__infants__birth_date"
    age = months_since_birth(birth)
    # Bands in order, each up to its last month; what is left is the open last band.
    whens = [
        When(LessThan(age, high + 1), then=Value(label))
        for label, _, high in AGE_BANDS
        if high is not None
    ]
    rows = (
        base.filter(**{f"{birth}__lte": F("day")})
        .annotate(band=Case(*whens, default=Value(AGE_BANDS[-1][0])))
        .values("band")
        .annotate(mothers=Count(MOTHER, distinct=True), uses=Count("id", distinct=True))
        .order_by()
    )
    found = {r["band"]: r for r in rows}
    body = [
        [label, found.get(label, {}).get("mothers", 0), found.get(label, {}).get("uses", 0)]
        for label, _, _ in AGE_BANDS
    ]
    return FigureTable(
        key="ages",
        name="statistics_ages",
        title="利用時の赤ちゃんの月齢別",
        headers=["月齢（生まれてから満何か月）", "実人員（人）", "延べ利用数（件）"],
        rows=body,
        note="月齢は利用日に満何か月かで数えます（5月10日生まれなら6月10日から1か月）。",
    )


def grouped_by_month(rows: QuerySet, month_field: str, value: str) -> dict[int, int]:
    """``{calendar month: sum}`` of an aggregate query grouped by ``month_field``."""
    totals: dict[int, int] = defaultdict(int)
    for row in rows:
        totals[row[month_field]] += row[value] or 0
    return dict(totals)
