"""A 総社市 clerk enters a paper 利用申請書 with the keyboard alone (Tab, Shift+Tab, typing,
arrows and Space, Enter to send), gets an impossible date back with everything else kept,
fixes it and lands on the case; then records the interview and the household tier."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sango.applications.models import Application, Interview
from sango.core.tests import factories as f
from sango.core.wareki import wareki

pytestmark = pytest.mark.browser

# The paper form's order, as Tab goes through it from the 申請日.
ENTRY_ORDER = [
    "id_office",
    "id_channel_0",
    "id_name",
    "id_name_kana",
    "id_birth_date",
    "id_postal_code",
    "id_address",
    "id_phone",
    *[f"id_infant{n}_{part}" for n in (1, 2, 3) for part in ("birth_date", "due_date", "name")],
    "id_residence_0",
    "id_home_municipality",
    "id_requested_stay",
    "id_requested_day",
    "id_requested_visit",
    "id_facility",
    *[
        f"id_booking{n}_{part}"
        for n in (1, 2)
        for part in ("facility", "service", "start_date", "end_date")
    ],
]


def focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab(page, expected: str, *, back: bool = False) -> None:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    assert focused(page) == expected


def choose(page, select_id: str, label: str) -> None:
    """Pick ``label`` in the focused select with the arrow keys."""
    options = page.eval_on_selector(f"#{select_id}", "s => Array.from(s.options).map(o => o.text)")
    page.keyboard.press("Home")
    for _ in range(options.index(label)):
        page.keyboard.press("ArrowDown")
    assert page.eval_on_selector(f"#{select_id}", "s => s.options[s.selectedIndex].text") == label


def test_a_clerk_enters_a_paper_application_with_the_keyboard(
    staff_page, clerk, assert_accessible, screenshot
):
    born = f.days_ago(10)
    page = staff_page(clerk)
    page.goto(f"{page.live_url}/staff/applications/new/")
    assert_accessible(page)
    screenshot(page, "staff-application-new")

    page.locator("#id_submitted_on").focus()  # 申請日: today, as the form suggests
    order = iter(ENTRY_ORDER)
    tab(page, next(order))  # 窓口: her own office, already chosen
    tab(page, next(order))  # 受付方法: 窓口, the only way 総社市 takes
    tab(page, next(order))
    page.keyboard.type("受付 花子")
    tab(page, next(order))
    page.keyboard.type("うけつけ はなこ")
    tab(page, next(order))
    page.keyboard.type("平成6年5月20日")
    tab(page, next(order))
    page.keyboard.type("７１９－１１３１")  # full width, as typed from the paper
    tab(page, next(order))
    expect(page.locator("#id_address")).not_to_have_value("")
    assert page.input_value("#id_address") == "岡山県総社市中央"
    page.keyboard.press("End")
    page.keyboard.type("1-1-1")
    tab(page, next(order))
    page.keyboard.type("０８６６－９２－８２６１")
    tab(page, next(order))
    page.keyboard.type("令和8年2月30日")  # a slip of the pen: there is no 30 February
    for _ in range(11):  # the other infants' rows, 居住 (市内), 住所地, then 短期入所
        tab(page, next(order))
    page.keyboard.type("３")  # three nights
    for _ in range(3):
        tab(page, next(order))
    choose(page, "id_facility", "かねこ助産院")
    tab(page, next(order))
    choose(page, "id_booking1_facility", "かねこ助産院")
    tab(page, next(order))
    choose(page, "id_booking1_service", "短期入所（ショートステイ）型")
    tab(page, next(order))
    start = born + timedelta(days=20)
    page.keyboard.type(wareki(start))
    tab(page, next(order))
    page.keyboard.type((start + timedelta(days=1)).strftime("%Y/%m/%d"))
    page.keyboard.press("Enter")

    page.wait_for_selector(".error-summary")
    assert focused(page) == ""  # the summary itself has the focus (it has no id)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    error = page.locator("#id_infant1_birth_date_field .field__error")
    assert "日付として読めません" in error.inner_text()
    assert page.input_value("#id_infant1_birth_date") == "令和8年2月30日"
    assert page.input_value("#id_name_kana") == "うけつけ はなこ"
    assert page.input_value("#id_postal_code") == "７１９－１１３１"
    assert page.input_value("#id_requested_stay") == "３"
    assert page.input_value("#id_booking1_start_date") == wareki(start)
    assert not Application.objects.exists()
    assert_accessible(page)
    screenshot(page, "staff-application-errors")

    # The summary's link takes her to the field; Shift+Tab and Tab move around it.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#id_infant1_birth_date$"))
    page.keyboard.press("Tab")
    if focused(page) != "id_infant1_birth_date":  # focus starts after the anchor's target
        tab(page, "id_infant1_birth_date", back=True)
    tab(page, "id_infant1_due_date")
    tab(page, "id_infant1_birth_date", back=True)
    page.keyboard.press("Control+A")
    page.keyboard.type(wareki(born))  # 令和8年11月… : fine
    page.keyboard.press("Enter")

    page.wait_for_url("**/staff/cases/*/")
    application = Application.objects.get()
    assert page.url.endswith(f"/staff/cases/{application.pk}/")
    assert "利用申請を受け付けました。" in page.inner_text(".notices")
    mother = application.mother
    assert (mother.name_kana, mother.postal_code, mother.phone) == (
        "ウケツケ ハナコ",
        "719-1131",
        "0866-92-8261",
    )
    assert mother.address == "岡山県総社市中央1-1-1"
    assert mother.infants.get().birth_date == born
    assert application.requested == {"stay": 3}
    assert application.bookings.get().start_date == start
    assert_accessible(page)

    # 聞き取り調査, from the case page's button.
    page.get_by_role("link", name="聞き取りを記録").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/interview/")
    assert_accessible(page)
    page.locator("#id_conducted_on").focus()  # today
    tab(page, "id_conducted_time")  # now
    tab(page, "id_method_0")  # 面接 …
    page.keyboard.press("ArrowRight")  # … 電話
    assert page.is_checked("#id_method_1")
    tab(page, "id_needs_found_0")
    page.keyboard.press("Space")
    tab(page, "id_exclusions_found_0")  # 医療の必要がある: not found
    tab(page, "id_assessment")
    page.keyboard.type("夜間の授乳がつらく、睡眠不足。")
    tab(page, "id_facility_note")
    page.keyboard.type("左の乳房に痛みあり。授乳姿勢の確認をお願いします。")
    screenshot(page, "staff-interview")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "聞き取りを記録する"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/cases/{application.pk}/")
    interview = Interview.objects.get()
    assert (interview.method, interview.needs_found) == ("phone", ["support_needed"])
    assert interview.facility_note == "左の乳房に痛みあり。授乳姿勢の確認をお願いします。"
    assert "左の乳房に痛みあり" in page.inner_text("section[aria-labelledby=h-interview]")
    assert_accessible(page)

    # 世帯の区分: 上記以外の方, confirmed on the city's ledger.
    page.get_by_role("link", name="世帯の区分を確認").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tier/")
    assert_accessible(page)
    page.locator("#id_tier_0").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#id_tier_2")
    tab(page, "id_tier_basis_0")
    page.keyboard.press("Space")  # 市の台帳で確認
    tab(page, "id_checked_on")  # today
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/staff/cases/{application.pk}/")
    application.refresh_from_db()
    assert (application.tier, application.tier_basis) == ("taxable", "ledger")
    assert "上記以外の方" in page.inner_text("main")
    assert_accessible(page)


def test_the_proxy_fields_appear_when_the_box_is_ticked(staff_page, ward_clerk, assert_accessible):
    """熊本市 took proxy applications until 令和6年3月: a late paper dated then shows the box."""
    page = staff_page(ward_clerk)
    page.goto(f"{page.live_url}/staff/applications/new/")
    assert page.locator("#id_by_proxy").count() == 0  # usage cards today: no proxy
    assert "利用カード方式" in page.inner_text("main")
    page.locator("#id_submitted_on").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("R6.3.11")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#id_submitted_on") == "R6.3.11"
    assert page.is_hidden("#id_proxy_name")
    page.locator("#id_channel_0").focus()
    page.keyboard.press("ArrowRight")  # 郵送, a way of that version
    assert page.is_checked("#id_channel_1")
    tab(page, "id_by_proxy")
    page.keyboard.press("Space")
    assert page.is_visible("#id_proxy_name")
    tab(page, "id_proxy_name")
    assert page.is_visible("#id_attorney_letter_received")
    assert "世帯調書及び同意書" in page.inner_text("main")
    assert_accessible(page)
