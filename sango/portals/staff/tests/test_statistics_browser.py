"""実績 in a real browser at office size, as a こども課 clerk uses it: open it from the menu, switch
the fiscal year, read the charts and their tables, save tables as CSV and Excel, enter the
year's budget, print the subsidy claim report."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from sango.conftest import AXE
from sango.reports.tests.known_month import known_month

pytestmark = pytest.mark.browser


def test_a_clerk_reads_the_figures_downloads_them_and_enters_the_budget(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    known_month()
    page = staff_page(clerk)
    # axe-core as an init script: Playwright injects it outside the page's Content-Security-
    # Policy (which allows no inline script), so the page is checked with its CSP in force.
    page.add_init_script(path=str(AXE))
    page.get_by_role("navigation", name="職員用メニュー").get_by_role("link", name="実績").click()
    page.wait_for_selector("h1:has-text('実績')")
    assert "令和8年度" in page.locator("h1").inner_text()
    assert page.locator("svg[role=img]").count() == 2
    assert page.get_by_role("img", name="月別・サービス別の延べ利用数（令和8年度）").is_visible()
    assert_accessible(page)
    screenshot(page, "staff-statistics")

    # the year before: nothing recorded, and the page says so
    page.get_by_role("combobox", name="年度").select_option("2025")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_selector("h1:has-text('令和7年度')")
    assert page.get_by_text("令和7年度の利用の記録はまだありません。").is_visible()
    assert_accessible(page)
    screenshot(page, "staff-statistics-empty-year")

    page.get_by_role("combobox", name="年度").select_option("2026")
    page.get_by_role("button", name="表示する").click()
    page.wait_for_selector("h1:has-text('令和8年度')")
    facilities = page.locator("#table-facilities")
    assert "68,000円" in facilities.locator("tr", has_text="かねこ助産院").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^CSV（UTF-8）\s*（施設別の利用実績）$")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[1] == ["かねこ助産院", "2", "4", "7", "68000"]
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Excel\s*（月別の利用実績）$")).click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert list(next(sheet.iter_rows(min_row=3, max_row=3, values_only=True)))[1:] == [
        2,
        5,
        9,
        89500,
        54500,
    ]
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^CSV（Shift_JIS）\s*（世帯の区分別")).click()
    text = download.value.path().read_text(encoding="cp932")
    assert "上記以外の方,1,4,8,75000" in text

    # the budget: a typing slip first, then the amount
    page.get_by_role("link", name="予算額を入力する").click()
    page.wait_for_selector("h1:has-text('予算額')")
    page.get_by_label("予算額（円）").fill("百万")
    page.get_by_role("button", name="予算額を保存する").click()
    page.wait_for_selector(".error-summary")
    assert page.get_by_label("予算額（円）").input_value() == "百万"
    assert_accessible(page)
    screenshot(page, "staff-statistics-budget-error")
    page.get_by_label("予算額（円）").fill("1,000,000")
    page.get_by_role("button", name="予算額を保存する").click()
    page.wait_for_selector("h1:has-text('実績')")
    assert page.get_by_text("令和8年度の予算額を保存しました。").is_visible()
    assert page.get_by_text("予算額 1,000,000円（助成額を引いた残り 893,500円）").is_visible()
    assert page.get_by_role("img", name="予算の執行状況（令和8年度）").is_visible()
    assert_accessible(page)
    page.locator("#budget").scroll_into_view_if_needed()
    screenshot(page, "staff-statistics-budget")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel", exact=True).click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = {r[0]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["国の負担"] == 53250
    href = page.get_by_role("link", name="PDF（印刷用）").get_attribute("href")
    response = page.request.get(page.live_url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert io.BytesIO(response.body()).read(5) == b"%PDF-"
