"""Who paid the subsidies: the sums per funding source, and the subsidy claim report (交付金).

Each use stores the split the rules core made of its subsidy, one line per funding source in
the programme's layers (``Use.funding``: ``[{"source": "municipality", "amount": 17000}, …]``).
A programme that declares the national low-income reduction (利用料減免) as its own layer (source
``national``) therefore shows it as its own source here, beside the municipality's subsidy.

The subsidy claim report (交付金の実績報告・申請の基礎資料) takes the eligible expenditure of a
fiscal year — the subsidy of the layers the programme's financing declaration names as
eligible (by default the municipality's own), for the uses recorded in the year — and splits it
in the declared shares (from FY2025 国1/2・都道府県1/4・市町村1/4). Layers financed on their own
(a national reduction, a prefecture's addition) are listed beside it, outside the split.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sango.reports.exports import Table
from sango.reports.fiscal import FiscalYear, Vocabulary, vocabulary
from sango.reports.statistics import TOTAL, FigureTable, parent_expression, recorded_uses
from sango.rules.schema import Financing


def source_sums(sources: list[str]) -> dict[str, Sum]:
    """An aggregate per source code: the yen its lines on ``Use.funding`` add up to. A use has
    at most one line per source, so each line's position is looked at for each source."""
    positions = range(len(sources))

    def total(source: str) -> Sum:
        return Sum(
            Case(
                *(
                    When(
                        **{f"funding__{i}__source": source},
                        then=Cast(KT(f"funding__{i}__amount"), IntegerField()),
                    )
                    for i in positions
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    return {f"source_{i}": total(code) for i, code in enumerate(sources)}


def funding_table(user: Any, year: FiscalYear) -> FigureTable:
    """助成額 per service and funding source (one aggregate query)."""
    words = vocabulary(user.municipality.code, year)
    sources = words.sources()
    sums = source_sums(sources)
    rows = (
        recorded_uses(user, year)
        .annotate(parent=parent_expression(words))
        .values("parent")
        .annotate(**sums)
        .order_by()
    )
    found = {r["parent"]: [r[k] or 0 for k in sums] for r in rows}
    parents = [c for c in words.service_order() if words.parent(c) == c]
    parents += [p for p in found if p not in parents]
    body = [[words.service(p), *found.get(p, [0] * len(sources))] for p in parents]
    totals = [sum(row[i + 1] for row in body) for i in range(len(sources))]
    body = [[*row, sum(row[1:])] for row in body]
    headers = ["サービス", *(f"{words.source(s)}（円）" for s in sources), "合計（円）"]
    return FigureTable(
        key="funding",
        name="statistics_funding",
        title="負担者別の助成額",
        headers=headers,
        rows=[*body, [TOTAL, *totals, sum(totals)]],
        money=tuple(headers[1:]),
        note="利用ごとに制度文書の負担の層（市の助成・国の減免など）で分けた額の合計です。",
        total_row=True,
    )


# --- the subsidy claim report -----------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    payer: str  # 国, 岡山県, 総社市
    fraction: str  # 1/2
    amount: int  # yen


@dataclass(frozen=True)
class SourceLine:
    name: str  # the programme's layer names
    amount: int  # yen
    eligible: bool


@dataclass(frozen=True)
class ClaimReport:
    """交付金の基礎資料 for one fiscal year (all amounts in yen)."""

    year: FiscalYear
    municipality: str
    prefecture: str
    uses: int
    mothers: int
    sources: tuple[SourceLine, ...]
    eligible: int  # 対象経費: the eligible sources' subsidy
    financing: Financing | None
    shares: tuple[Share, ...]
    financing_ref: str
    made_on: Any

    @property
    def subsidy(self) -> int:
        return sum(line.amount for line in self.sources)


@dataclass(frozen=True)
class YearSums:
    """What the claim report needs of the year's uses: counts and yen per funding source."""

    uses: int
    mothers: int
    by_source: dict[str, int]


def year_sums(user: Any, year: FiscalYear) -> YearSums:
    """One aggregate query over the year's recorded uses."""
    sources = vocabulary(user.municipality.code, year).sources()
    figures = recorded_uses(user, year).aggregate(
        uses=Count("id"), mothers=Count("voucher__mother_id", distinct=True), **source_sums(sources)
    )
    return YearSums(
        uses=figures["uses"],
        mothers=figures["mothers"],
        by_source={code: figures[f"source_{i}"] or 0 for i, code in enumerate(sources)},
    )


def claim_report(user: Any, year: FiscalYear, sums: YearSums | None = None) -> ClaimReport:
    """The report's figures: from ``sums`` when the caller has them already (the statistics
    page does), else from one aggregate query."""
    words = vocabulary(user.municipality.code, year)
    sources = words.sources()
    figures = sums or year_sums(user, year)
    amounts = {code: figures.by_source.get(code, 0) for code in sources}
    document = words.program.document
    financing = document.financing_for(year.year)
    eligible_codes = financing.eligible if financing else ["municipality"]
    eligible = sum(amounts.get(code, 0) for code in eligible_codes)
    return ClaimReport(
        year=year,
        municipality=document.municipality.name,
        prefecture=document.municipality.prefecture,
        uses=figures.uses,
        mothers=figures.mothers,
        sources=tuple(
            SourceLine(words.source(code), amounts[code], code in eligible_codes)
            for code in sources
        ),
        eligible=eligible,
        financing=financing,
        shares=_shares(words, financing, eligible),
        financing_ref=words.program.source_title(financing.ref) if financing else "",
        made_on=timezone.localdate(),
    )


def _shares(words: Vocabulary, financing: Financing | None, eligible: int) -> tuple[Share, ...]:
    """Each payer's share of ``eligible`` yen. The national and prefectural shares are rounded
    down to the yen (a grant never exceeds its fraction); the municipality carries the
    remainder, so the shares always add up to the expenditure."""
    if financing is None:
        return ()
    shares = []
    for payer, text in financing.shares.items():
        if payer != "municipality":
            amount = int(Fraction(text) * eligible)  # int() of a positive Fraction floors
            shares.append(Share(words.payer(payer), text, amount))
    rest = eligible - sum(s.amount for s in shares)
    if "municipality" in financing.shares:
        shares.append(Share(words.payer("municipality"), financing.shares["municipality"], rest))
    return tuple(shares)


def claim_report_table(report: ClaimReport) -> Table:
    """The report as one sheet: the sources, the eligible expenditure, then each share."""
    rows: list[list[Any]] = [
        ["年度", report.year.label, None],
        ["市町村", report.municipality, None],
        ["延べ利用数（件）", None, report.uses],
        ["実人員（人）", None, report.mothers],
    ]
    rows += [
        [f"助成額：{line.name}", "対象経費" if line.eligible else "対象外（別の財源）", line.amount]
        for line in report.sources
    ]
    rows.append(["助成額の合計", None, report.subsidy])
    rows.append(["対象経費（支出済額の基礎）", None, report.eligible])
    rows += [[f"{s.payer}の負担", s.fraction, s.amount] for s in report.shares]
    return Table(
        name=f"subsidy_claim_{report.year.year}",
        title=f"交付金の基礎資料_{report.year.label}",
        headers=["項目", "区分・負担割合", "金額・件数"],
        rows=rows,
        money=("金額・件数",),
    )


def claim_report_pdf(report: ClaimReport) -> bytes:
    """The report on A4, as the letters are laid out (Japanese whatever the request's
    language)."""
    from sango.letters.render import html_to_pdf

    with translation.override("ja"):
        html = render_to_string("reports/claim_report.html", {"r": report})
    return html_to_pdf(html)
