"""実績 over a known month (``known_month``): every figure of every table, by hand."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.reports import files
from sango.reports.exports import Month
from sango.reports.fiscal import FiscalYear
from sango.reports.page import statistics_for, table_for
from sango.reports.services import budget_set
from sango.reports.tests.known_month import KANEKO, known_month, use

pytestmark = pytest.mark.django_db
FY2026 = FiscalYear(2026)
MAY, JUNE = Month(2026, 5, 1), Month(2026, 6, 1)


@pytest.fixture
def world():
    f.load_programmes()
    return known_month()


def rows_of(table) -> dict:
    """Rows by their first cell."""
    return {row[0]: row[1:] for row in table.rows}


def test_fiscal_year_runs_april_to_march_with_wareki_labels():
    assert FY2026.first == date(2026, 4, 1) and FY2026.last == date(2027, 3, 31)
    assert FY2026.months[0] == date(2026, 4, 1) and FY2026.months[-1] == date(2027, 3, 1)
    assert FY2026.label == "令和8年度"
    assert FiscalYear(2019).label == "令和元年度"
    assert FiscalYear.of(date(2027, 3, 31)) == FY2026


def test_monthly_figures_count_each_mother_once_and_skip_the_void_use(world):
    s = statistics_for(world.clerk, FY2026)
    monthly = rows_of(s.uses.monthly)
    # 実人員, 延べ利用数, 延べ日数 (a 1泊2日 stay is 2 days, 2泊3日 is 3), subsidy, copay
    assert monthly[Month(2026, 4, 1)] == [0, 0, 0, 0, 0]
    assert monthly[MAY] == [2, 5, 9, 89500, 54500]
    assert monthly[JUNE] == [1, 1, 2, 17000, 13000]
    # the year counts mother A once although she used the programme in May and June
    assert monthly["合計"] == [2, 6, 11, 106500, 67500]
    assert s.totals == {"mothers": "2", "uses": "6", "days": "11", "subsidy": 106500}


def test_services_tiers_facilities_and_ages(world):
    s = statistics_for(world.clerk, FY2026)
    assert rows_of(s.uses.services) == {
        "短期入所（ショートステイ）型": [2, 4, 5, "泊", 9, 89500],
        "通所（デイサービス）型": [2, 2, 2, "日", 2, 17000],  # the corrected day once
        "居宅訪問（アウトリーチ）型": [0, 0, 0, "回", 0, 0],
        "合計": [2, 6, None, "", 11, 106500],
    }
    assert rows_of(s.uses.by_month_service)[MAY] == [3, 2, 0]
    assert rows_of(s.uses.by_month_service)[JUNE] == [1, 0, 0]
    assert s.uses.series["短期入所（ショートステイ）型"][1:3] == [3, 1]
    assert rows_of(s.uses.tiers) == {
        "生活保護世帯": [0, 0, 0, 0],
        "市民税非課税世帯": [1, 2, 3, 31500],
        "上記以外の方": [1, 4, 8, 75000],
        "合計": [2, 6, 11, 106500],
    }
    assert rows_of(s.uses.facilities) == {
        "かねこ助産院": [2, 4, 7, 68000],
        "さくらんぼ助産院": [1, 1, 2, 17000],  # the voided day is not there
        "償還払い（委託外の施設）": [1, 1, 2, 21500],
        "合計": [2, 6, 11, 106500],
    }
    # A's baby (born 1 March): 2 months on 10, 15 and 20 May, 3 months on 3 June;
    # B's (born 15 January): 3 months on 1 and 12 May (the 15th has not come round).
    ages = rows_of(s.uses.ages)
    assert ages["2か月"] == [1, 3]
    assert ages["3か月"] == [2, 3]
    assert sum(count for _, count in ages.values()) == 6


def test_applications_and_days_to_decision(world):
    s = statistics_for(world.clerk, FY2026)
    apps = rows_of(s.decisions.applications)
    assert apps[Month(2026, 4, 1)] == [2, 2, 0]
    assert apps[MAY] == [1, 0, 1]
    assert apps["合計"] == [3, 2, 1]
    # 2, 7 and 1 calendar days; 総社市 declares no target
    assert rows_of(s.decisions.timing) == {
        "決定した申請（件）": [3],
        "決定までの日数（中央値）": ["2日"],
        "目標": ["制度文書に目標の定めなし"],
        "目標内に決定した割合": [None],
    }


def test_funding_budget_and_claimed(world):
    budget_set(
        actor=world.clerk,
        municipality_id=world.clerk.municipality_id,
        fiscal_year=2026,
        amount=1_000_000,
    )
    s = statistics_for(world.clerk, FY2026)
    assert s.funding.headers == ["サービス", "総社市の負担額（円）", "合計（円）"]
    assert rows_of(s.funding)["短期入所（ショートステイ）型"] == [89500, 89500]
    assert rows_of(s.funding)["合計"] == [106500, 106500]
    budget = rows_of(s.budget.table)
    # committed, cumulative, 請求確定額 (the approved May claim 68,000 + the refund 21,500)
    assert budget[MAY] == [89500, 89500, 89500, 89500, "8.9%"]
    assert budget[JUNE] == [17000, 106500, 0, 89500, "10.7%"]
    assert s.budget.budget == 1_000_000 and s.budget.remaining == 893500
    assert s.budget.committed[-1] == 106500 and s.budget.claimed[-1] == 89500


def test_subsidy_claim_report_splits_the_eligible_expenditure(world):
    report = statistics_for(world.clerk, FY2026).claim
    assert (report.uses, report.mothers, report.eligible) == (6, 2, 106500)
    assert [(s.payer, s.fraction, s.amount) for s in report.shares] == [
        ("国", "1/2", 53250),
        ("岡山県", "1/4", 26625),
        ("総社市", "1/4", 26625),
    ]


def test_another_year_and_another_city_are_empty(world):
    other = statistics_for(world.clerk, FiscalYear(2025))
    assert other.empty and rows_of(other.uses.monthly)["合計"] == [0, 0, 0, 0, 0]
    assert other.claim.shares[0].amount == 0
    kumamoto = statistics_for(f.clerk(f.KUMAMOTO), FY2026)
    assert kumamoto.empty and rows_of(kumamoto.decisions.applications)["合計"] == [0, 0, 0]


def test_query_count_does_not_grow_with_the_uses(world):
    with CaptureQueriesContext(connection) as before:
        statistics_for(world.clerk, FY2026)
    voucher = world.mothers[1].applications.get().voucher
    for day in range(13, 19):  # her other six days
        use(voucher, KANEKO, date(2026, 5, day), "day", 5000)
    with CaptureQueriesContext(connection) as after:
        s = statistics_for(world.clerk, FY2026)
    assert rows_of(s.uses.monthly)[MAY][1] == 5 + 6
    assert len(after) == len(before) <= 16


def _csv_rows(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding))))


@pytest.mark.parametrize(
    "key",
    [
        "monthly",
        "services",
        "tiers",
        "facilities",
        "ages",
        "applications",
        "timing",
        "funding",
        "budget",
        "month_service",
    ],
)
def test_every_table_downloads_with_the_same_figures(world, key):
    table = table_for(world.clerk, FY2026, key)
    utf8 = files.render(table, "csv")
    assert utf8.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(utf8, "utf-8-sig")
    assert rows[0] == table.headers
    expected = [[files.csv_text(c) for c in row] for row in table.rows]
    assert rows[1:] == expected
    assert _csv_rows(files.render(table, "csv_cp932"), "cp932") == rows
    sheet = load_workbook(io.BytesIO(files.render(table, "xlsx"))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert list(values[0]) == table.headers
    assert len(values) == len(table.rows) + 1


def test_exported_monthly_figures_read_back(world):
    rows = _csv_rows(files.render(table_for(world.clerk, FY2026, "monthly"), "csv"), "utf-8-sig")
    assert rows[2] == ["2026年5月", "2", "5", "9", "89500", "54500"]
    assert rows[-1] == ["合計", "2", "6", "11", "106500", "67500"]
    sheet = load_workbook(
        io.BytesIO(files.render(table_for(world.clerk, FY2026, "facilities"), "xlsx"))
    ).active
    cells = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["かねこ助産院"] == [2, 4, 7, 68000]


def test_the_budget_is_the_municipalitys_own_and_a_plausible_amount():
    f.load_programmes()
    soja = f.clerk()
    with pytest.raises(ServiceError, match="予算は入力できません"):
        budget_set(
            actor=f.clerk(f.KUMAMOTO),
            municipality_id=soja.municipality_id,
            fiscal_year=2026,
            amount=1,
        )
    with pytest.raises(ServiceError, match="1,000億円未満"):
        budget_set(
            actor=soja, municipality_id=soja.municipality_id, fiscal_year=2026, amount=10**11
        )
    budget_set(actor=f.approver(), municipality_id=soja.municipality_id, fiscal_year=2026, amount=5)
    assert statistics_for(soja, FY2026).budget.budget == 5
