"""Every file is read back the way Excel's users' tools read it: the CSVs decoded and parsed, the
workbook opened with openpyxl."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from sango.core.tests import factories as f
from sango.mothers.models import Infant
from sango.reports import exports, files
from sango.reports.exports import APPLICATION_HEADERS, Month, Table
from sango.reports.tests.conftest import ADDRESS, NAME

INJECTIONS = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def row_named(rows: list[list], header: list, name: str) -> dict:
    (found,) = [r for r in rows if r[header.index("氏名")] == name]
    return dict(zip(header, found, strict=True))


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def sheet_rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def applications(clerk) -> Table:
    return exports.applications(user=clerk, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_utf8_opens_with_the_japanese_intact(world) -> None:
    data = files.csv_utf8(applications(f.clerk()))
    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(b"\n") == data.count(b"\r\n") > 1  # CRLF only
    rows = parse(data.decode("utf-8-sig"))
    assert rows[0] == APPLICATION_HEADERS
    row = row_named(rows[1:], rows[0], NAME)
    assert (row["住所"], row["受付日"], row["出産日"]) == (ADDRESS, "2026-04-01", "2026-03-01")
    assert (row["世帯の区分"], row["乳児数"]) == ("上記以外の方", "1")


@pytest.mark.django_db
def test_csv_cp932_replaces_only_what_cp932_cannot_carry(world) -> None:
    data = files.csv_cp932(applications(f.clerk()))
    assert not data.startswith(codecs.BOM_UTF8)
    rows = parse(data.decode("cp932"))  # strict: every byte is CP932
    assert rows[0] == APPLICATION_HEADERS
    row = row_named(rows[1:], rows[0], "髙橋 〓子")  # 髙 kept, 𠮷 visibly replaced
    assert row["住所"] == "岡山県総社市中央1～2"  # WAVE DASH as CP932's ～ (U+FF5E)
    assert row["フリガナ"] == "タカハシ ヨシコ"


@pytest.mark.django_db
def test_csv_of_uses_and_claims(world) -> None:
    uses = files.csv_cp932(exports.uses(user=f.clerk(), date_from=None, date_to=None))
    rows = parse(uses.decode("cp932"))
    corrected = dict(zip(rows[0], rows[3], strict=True))  # 30 Apr, 1 May voided, 1 May
    assert corrected["利用日"] == "2026-05-01"
    assert corrected["サービス"] == "短期入所（ショートステイ）型"
    assert (corrected["市の負担額"], corrected["自己負担額"], corrected["氏名"]) == (
        "17000",
        "11000",
        "髙橋 〓子",
    )
    table = exports.claims(user=f.clerk(), date_from=None, date_to=None)
    claims = parse(files.csv_utf8(table).decode("utf-8-sig"))
    assert [r[0] for r in claims[1:]] == ["2026年4月", "2026年5月", "2026年6月"]
    assert claims[1][claims[0].index("承認額")] == "17000"
    assert claims[2][claims[0].index("承認額")] == ""


def test_cp932_look_alikes_are_mapped_not_replaced() -> None:
    text = "〜−¢£¬‖—–¥‾¦·\u00a0‑"
    table = Table(name="t", title="t", headers=["x"], rows=[[text], ["①Ⅰ㈱髙﨑"], ["😀x𠮷"]])
    rows = parse(files.csv_cp932(table).decode("cp932"))
    assert rows[1] == ["～－￠￡￢∥―－￥￣￤・ ‐"]
    assert rows[2] == ["①Ⅰ㈱髙﨑"]
    assert rows[3] == ["〓x〓"]


def test_variation_selectors_are_dropped_in_cp932_kept_in_utf8() -> None:
    table = Table(name="t", title="t", headers=["氏名"], rows=[["葛\U000e0100飾"]])
    assert parse(files.csv_cp932(table).decode("cp932"))[1] == ["葛飾"]
    table = Table(name="t", title="t", headers=["氏名"], rows=[["葛\U000e0100飾"]])
    assert parse(files.csv_utf8(table).decode("utf-8-sig"))[1] == ["葛\U000e0100飾"]


def test_csv_neutralises_formulas_but_not_numbers() -> None:
    table = Table(name="t", title="t", headers=["a"], rows=[[*INJECTIONS, "090-1", -5, 0, None]])
    for write, encoding in ((files.csv_utf8, "utf-8-sig"), (files.csv_cp932, "cp932")):
        (row,) = parse(write(table).decode(encoding))[1:]
        assert row == [*("'" + v for v in INJECTIONS), "090-1", "-5", "0", ""]


@pytest.mark.django_db
def test_a_formula_in_a_mothers_name_is_neutralised(db) -> None:
    f.load_programmes()
    mother = f.MotherFactory(name="=cmd|' /C calc'!A0", phone="+81-90-0000-0000")
    Infant.objects.create(mother=mother, birth_date=date(2026, 3, 1))
    f.submitted_application(mother=mother, submitted_at=f.at(date(2026, 4, 2), 9))
    rows = parse(files.csv_utf8(applications(f.clerk())).decode("utf-8-sig"))
    row = row_named(rows[1:], rows[0], "'=cmd|' /C calc'!A0")
    assert row["電話番号"] == "'+81-90-0000-0000"
    sheet = sheet_of(files.xlsx(applications(f.clerk())))
    cells = [c for c in sheet[2] if c.value == "=cmd|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


# --- XLSX -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_xlsx_has_real_dates_and_yen(world) -> None:
    sheet = sheet_of(files.xlsx(applications(f.clerk())))
    assert sheet.title == "利用申請"
    rows = sheet_rows(sheet)
    assert rows[0] == APPLICATION_HEADERS
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:V{len(rows)}"
    row = row_named(rows[1:], rows[0], NAME)  # 𠮷 intact in XLSX
    assert row["受付日"] == datetime(2026, 4, 1) and row["住所"] == ADDRESS
    received = sheet.cell(row=2, column=APPLICATION_HEADERS.index("受付日") + 1)
    assert received.is_date and received.number_format == "yyyy-mm-dd"
    width = sheet.column_dimensions["L"].width  # 住所
    assert width >= files.display_width(ADDRESS) > sheet.column_dimensions["A"].width


@pytest.mark.django_db
def test_xlsx_of_uses_and_claims(world) -> None:
    table = exports.uses(user=f.clerk(f.KUMAMOTO), date_from=None, date_to=None)
    sheet = sheet_of(files.xlsx(table))
    header = [c.value for c in sheet[1]]
    day = {h: c for h, c in zip(header, sheet[3], strict=True)}
    assert day["開始"].value == datetime(2024, 5, 2, 10, 0)
    assert day["開始"].number_format == "yyyy-mm-dd hh:mm"
    assert day["利用日"].value == datetime(2024, 5, 2) and day["利用日"].is_date
    subsidy = day["市の負担額"]
    assert type(subsidy.value) is int and subsidy.number_format == "#,##0"
    assert day["サービス"].value == "日帰り型 3時間型"
    claims = sheet_of(files.xlsx(exports.claims(user=f.clerk(), date_from=None, date_to=None)))
    month = claims["A2"]
    assert month.value == datetime(2026, 4, 1) and month.number_format == 'yyyy"年"m"月"'
    approved = claims.cell(row=2, column=exports.CLAIM_HEADERS.index("承認額") + 1)
    assert approved.value == 17000 and type(approved.value) is int


def test_xlsx_keeps_formulas_as_text_and_drops_control_characters() -> None:
    rows = [[*INJECTIONS, "a\x01b", Month(2026, 4, 1), None]]
    sheet = sheet_of(files.xlsx(Table(name="t", title="a/b:c", headers=["h"] * 9, rows=rows)))
    assert sheet.title == "a_b_c"
    cells = list(sheet[2])
    assert all(c.data_type == "s" for c in cells[:7])
    assert [c.value for c in cells[:5]] == INJECTIONS[:5]
    assert cells[5].value == "\nx"  # XML reads a lone CR back as LF
    assert cells[7].value == datetime(2026, 4, 1) and cells[7].number_format == 'yyyy"年"m"月"'
    assert cells[6].value == "ab"


def test_an_empty_table_is_a_header_row() -> None:
    table = Table(name="t", title="空", headers=["氏名", "利用日"], rows=iter([]))
    assert sheet_rows(sheet_of(files.xlsx(table))) == [["氏名", "利用日"]]
    table = Table(name="t", title="空", headers=["氏名", "利用日"], rows=iter([]))
    assert files.csv_utf8(table) == codecs.BOM_UTF8 + "氏名,利用日\r\n".encode()


# --- names and headers ----------------------------------------------------------------------


def test_file_names_are_ascii_and_say_the_range() -> None:
    table = Table(name="applications", title="利用申請", headers=[], rows=[])
    april = (date(2026, 4, 1), date(2026, 4, 30))
    assert files.filename(table, "csv", *april) == "applications_2026-04-01_2026-04-30.csv"
    assert files.filename(table, "csv_cp932", *april) == (
        "applications_2026-04-01_2026-04-30_sjis.csv"
    )
    assert files.filename(table, "xlsx", date(2026, 4, 1), None) == (
        "applications_from_2026-04-01.xlsx"
    )
    assert files.filename(table, "xlsx", None, date(2026, 4, 30)) == (
        "applications_until_2026-04-30.xlsx"
    )
    assert files.filename(table, "csv", None, None) == "applications_all.csv"
    assert files.filename_japanese(table, "xlsx", *april) == "利用申請_2026-04-01_2026-04-30.xlsx"


def test_content_disposition_carries_both_names() -> None:
    header = files.content_disposition("uses_all.csv", "利用記録_all.csv")
    assert header == (
        'attachment; filename="uses_all.csv"; '
        "filename*=UTF-8''%E5%88%A9%E7%94%A8%E8%A8%98%E9%8C%B2_all.csv"
    )
    assert files.content_disposition('a"b\\c.csv') == 'attachment; filename="a_b_c.csv"'
    assert files.content_type("xlsx").endswith("spreadsheetml.sheet")
    with pytest.raises(KeyError):
        files.render(Table(name="t", title="t", headers=[], rows=[]), "pdf")
