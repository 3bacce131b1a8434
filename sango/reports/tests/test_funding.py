"""The funding split: sums per funding source (the national reduction as its own source) and the
subsidy claim report (交付金の基礎資料) as figures, XLSX and a PDF read back."""

from __future__ import annotations

import io
from datetime import date

import pytest
import yaml
from openpyxl import load_workbook
from pydantic import ValidationError
from pypdf import PdfReader

from sango.core.tests import factories as f
from sango.reports import files
from sango.reports.fiscal import FiscalYear
from sango.reports.funding import claim_report, claim_report_pdf, claim_report_table, funding_table
from sango.rules import schema as s
from sango.usage.models import Use
from sango.usage.services import use_record

pytestmark = pytest.mark.django_db
FY2026 = FiscalYear(2026)


@pytest.fixture
def yurikago():
    """ゆりかご市 (invented): a taxable mother's 1-night stay at the clinic at 25,000円 on
    10 June 2026 — 市 15,000 + 令和8年度 特別減額 1,000 (both municipality),
    国の減免（全ての利用者） 2,500 (national), copay 6,500; and a tax-exempt mother's day at
    the 助産院 at 9,000円 — 市 8,000, then 国の減免（非課税世帯） pays the last 1,000 (national)."""
    with f.with_test_programmes():
        code = f.YURIKAGO
        clerk = f.clerk(code)
        uses = []
        for tier, slug, service, fee in (
            ("taxable", "yurikago-sample-clinic", "stay", 25000),
            ("tax_exempt", "yurikago-sample-josanin", "day", 9000),
        ):
            mother = f.mother_with_baby(code=code, born=date(2026, 5, 1))
            application = f.approved_application(mother=mother, grants={"all_days": 7}, tier=tier)
            staff = f.facility_staff(slug)
            uses.append(
                use_record(
                    voucher_id=f.voucher_for(application).pk,
                    facility=staff.facility,
                    actor=staff,
                    idempotency_key=f"{tier}-{service}",
                    service=service,
                    day=date(2026, 6, 10),
                    quantity=1,
                    fee=fee,
                )
            )
        yield clerk, uses


def test_the_national_reduction_is_its_own_source(yurikago):
    clerk, (stay, _) = yurikago
    by_source = {p["source"]: p["amount"] for p in stay.funding}
    assert by_source["municipality"] == 16000 and by_source["national"] == 2500
    table = funding_table(clerk, FY2026)
    assert table.headers == [
        "サービス",
        "ゆりかご市の助成・令和8年度 特別減額（円）",  # the 令和10年度 layer is not in force yet
        "静岡県 多胎児加算（円）",
        "国の減免（非課税世帯）・国の減免（全ての利用者）（円）",
        "合計（円）",
    ]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["宿泊型"] == [16000, 0, 2500, 18500]
    assert rows["日帰り型"] == [8000, 0, 1000, 9000]
    assert rows["合計"] == [24000, 0, 3500, 27500]
    assert sum(u.subsidy for u in Use.objects.filter(municipality__code=f.YURIKAGO)) == 27500


def test_claim_report_splits_only_the_eligible_layers(yurikago):
    clerk, _ = yurikago
    report = claim_report(clerk, FY2026)
    assert [(line.name, line.amount, line.eligible) for line in report.sources] == [
        ("ゆりかご市の助成・令和8年度 特別減額", 24000, True),
        ("静岡県 多胎児加算", 0, False),
        ("国の減免（非課税世帯）・国の減免（全ての利用者）", 3500, False),
    ]
    assert report.subsidy == 27500 and report.eligible == 24000
    assert [(s.payer, s.fraction, s.amount) for s in report.shares] == [
        ("国", "1/2", 12000),
        ("静岡県", "1/4", 6000),
        ("ゆりかご市", "1/4", 6000),
    ]


def test_shares_round_down_and_the_municipality_carries_the_remainder(yurikago):
    clerk, (stay, _) = yurikago
    Use.objects.filter(pk=stay.pk).update(
        funding=[
            {"source": "municipality", "amount": 16003},
            {"source": "national", "amount": 2500},
        ]
    )
    shares = [s.amount for s in claim_report(clerk, FY2026).shares]
    # 24,003 yen: 国 12,001.5 → 12,001; 県 6,000.75 → 6,000; 市 the remaining 6,002
    assert shares == [12001, 6000, 6002] and sum(shares) == 24003


def test_claim_report_as_xlsx_and_pdf(yurikago):
    clerk, _ = yurikago
    report = claim_report(clerk, FY2026)
    sheet = load_workbook(io.BytesIO(files.render(claim_report_table(report), "xlsx"))).active
    cells = {r[0]: (r[1], r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["対象経費（支出済額の基礎）"] == (None, 24000)
    assert cells["国の負担"] == ("1/2", 12000)
    assert cells["静岡県の負担"] == ("1/4", 6000)
    assert cells["助成額：国の減免（非課税世帯）・国の減免（全ての利用者）"] == (
        "対象外（別の財源）",
        3500,
    )
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(claim_report_pdf(report))).pages
    )
    flat = text.replace(" ", "").replace("\n", "")
    assert "令和8年度産後ケア事業交付金の基礎資料" in flat
    assert "静岡県ゆりかご市" in flat
    for figure in (
        "24,000円",
        "12,000円",
        "6,000円",
        "3,500円",
        "27,500円",
        "延べ利用数2件",
        "実人員2人",
    ):
        assert figure in flat


def test_a_year_without_financing_has_no_shares(yurikago):
    clerk, _ = yurikago
    report = claim_report(clerk, FiscalYear(2024))
    assert report.financing is None and report.shares == () and report.eligible == 0


def _document(financing: list[dict]) -> dict:
    """総社市's document as written, with another financing declaration."""
    from sango.rules.program import default_program_dir

    document = yaml.safe_load((default_program_dir() / "332089-soja.yaml").read_text())
    document["financing"] = financing
    return document


@pytest.mark.parametrize(
    ("financing", "message"),
    [
        (
            [{"from": "2025-04-01", "shares": {"national": "1/2", "municipality": "1/4"}}],
            "合計で 1",
        ),
        ([{"from": "2025-05-01", "shares": {"national": "1/2", "municipality": "1/2"}}], "4月1日"),
        (
            [{"from": "2025-04-01", "shares": {"national": "half", "municipality": "1/2"}}],
            "pattern",
        ),
        ([{"from": "2025-04-01", "shares": {"city": "1/1"}}], "national"),
        (
            [
                {"from": "2026-04-01", "shares": {"municipality": "1"}},
                {"from": "2025-04-01", "shares": {"municipality": "1"}},
            ],
            "古い順",
        ),
    ],
)
def test_financing_is_validated(financing, message):
    f.load_programmes()
    with pytest.raises(ValidationError, match=message):
        s.ProgramDocument.model_validate(_document(financing))


def test_financing_is_effective_dated():
    f.load_programmes()
    document = s.ProgramDocument.model_validate(
        _document(
            [
                {
                    "from": "2025-04-01",
                    "shares": {"national": "1/2", "prefecture": "1/4", "municipality": "1/4"},
                },
                {"from": "2027-04-01", "shares": {"national": "2/3", "municipality": "1/3"}},
            ]
        )
    )
    assert document.financing_for(2024) is None
    assert document.financing_for(2026).shares["national"] == "1/2"
    assert document.financing_for(2028).shares == {"national": "2/3", "municipality": "1/3"}
