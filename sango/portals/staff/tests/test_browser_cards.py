"""A 熊本市 中央区 clerk in a real browser: issues a 利用カード with the handbook, registers the
birth, follows the card's uses and prints it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sango.core.tests import factories as f
from sango.usage.services import use_record
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.browser


def test_a_ward_clerk_issues_a_card_registers_the_birth_and_prints_it(
    staff_page, ward_clerk, assert_accessible, screenshot
):
    today = timezone.localdate()
    handbook, born, used = (today - timedelta(days=n) for n in (60, 20, 10))
    page = staff_page(ward_clerk)
    base = page.live_url

    page.get_by_role("link", name="利用カードの発行").click()
    page.wait_for_url(f"{base}/staff/cards/new/")
    main = page.locator("main")
    assert_accessible(page)
    main.get_by_label("氏名").fill("熊本 花子")
    main.get_by_label("フリガナ").fill("くまもと はなこ")
    main.get_by_label("生年月日").fill("平成6年5月20日")
    main.get_by_label("郵便番号").fill("８６０－０８０６")
    main.get_by_label("郵便番号").press("Tab")  # the address is filled from the postal code
    address = main.get_by_label("住所")
    expect(page.locator("#id_address")).not_to_have_value("")
    assert address.input_value() == "熊本県熊本市中央区花畑町"
    address.fill("熊本県熊本市中央区花畑町1-1")
    main.get_by_label("電話番号").fill("096-328-2419")
    handbook_day = main.get_by_label("親子健康手帳の交付日")
    assert handbook_day.input_value() == today.isoformat()  # today unless changed
    handbook_day.fill(handbook.isoformat())
    main.get_by_label("上記以外の世帯").check()
    main.get_by_label("市の台帳で確認").check()
    screenshot(page, "staff-card-new")
    main.get_by_role("button", name="利用カードを発行する").click()

    page.wait_for_url(f"{base}/staff/cards/*/")
    card = Voucher.objects.get()
    assert "利用カードを発行しました" in main.inner_text()
    assert "出生の登録はまだです" in main.inner_text()
    assert "出生の登録後に決まります" in main.inner_text()
    assert_accessible(page)

    main.get_by_role("link", name="出生を登録").click()
    page.wait_for_url(f"{base}/staff/cards/{card.pk}/birth/")
    assert_accessible(page)
    main.get_by_label("出生日").fill(born.isoformat())
    main.get_by_label("人数").fill("2")
    main.get_by_role("button", name="出生を登録する").click()
    page.wait_for_url(f"{base}/staff/cards/{card.pk}/")
    assert "出生を登録しました" in main.inner_text()

    # A day at the clinic, recorded by its staff, appears on the card's file.
    clinic = f.facility_staff("sample-kumamoto-chuo-clinic")
    use_record(
        voucher_id=card.pk,
        facility=clinic.facility,
        actor=clinic,
        idempotency_key="browser-1",
        service="day",
        start=f.at(used, 10),
        end=f.at(used, 13),
    )
    page.reload()
    text = main.inner_text()
    assert "乳児（2人）" in text
    assert "日帰り型 3時間型" in text and "（サンプル）中央レディースクリニック" in text
    assert "出生の登録後に決まります" not in text
    assert main.get_by_role("link", name="出生を登録").count() == 0
    assert_accessible(page)
    screenshot(page, "staff-card")

    link = main.get_by_role("link", name="利用カードを印刷（PDF）")
    pdf = page.request.get(f"{base}{link.get_attribute('href')}")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
