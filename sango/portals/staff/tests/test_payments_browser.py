"""支払 in a real browser at office size (1366×768): a clerk enters the originator and a
facility's account and builds a batch for today; the approver locks it, downloads the 全銀 file
and reads it, marks the batch paid and a transfer returned; axe-core on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from sango.core.tests import factories as f
from sango.payments.tests import factories as pf

pytestmark = pytest.mark.browser


def test_build_lock_download_and_pay_a_batch(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    pf.approved_claim(amount=48000)
    pf.approved_reimbursement(clerk=clerk, boss=boss, amount=21000)
    pf.approved_reimbursement(clerk=clerk, boss=boss, amount=9000, confirmed=False)
    page = staff_page(clerk)
    page.get_by_role("navigation", name="職員用メニュー").get_by_role("link", name="支払").click()
    page.wait_for_url("**/staff/payments/")
    assert_accessible(page)

    # The originator, entered once.
    page.locator("main").get_by_role("link", name="振込元を登録する").first.click()
    page.get_by_label("委託者コード（10けた）").fill("１２３４５６７８９０")
    page.get_by_label("委託者名（カナ）").fill("そうじゃし")
    page.get_by_label("金融機関コード（4けた）").fill("0168")
    page.get_by_label("支店コード（3けた）").fill("191")
    page.get_by_label("口座番号（7けたまで）").fill("12345")
    page.get_by_label("口座名義（カナ）").fill("総社市")
    page.get_by_role("button", name="振込元を登録する").click()
    page.wait_for_selector(".error-summary")
    assert "「総」、「社」、「市」は口座名義に使えません" in page.inner_text("main")
    assert page.get_by_label("委託者コード（10けた）").input_value() == "１２３４５６７８９０"
    assert_accessible(page)
    screenshot(page, "staff-payments-originator-error")
    page.get_by_label("口座名義（カナ）").fill("ソウジヤシ")
    page.get_by_role("button", name="振込元を登録する").click()
    page.wait_for_url("**/staff/payments/")
    assert "振込元を登録しました" in page.inner_text("main")

    # The facility's account, entered and confirmed.
    page.get_by_role("link", name="施設の振込先口座").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"登録する\s*（かねこ助産院）")).click()
    page.get_by_label("金融機関コード（4けた）").fill("0001")
    page.get_by_label("支店コード（3けた）").fill("001")
    page.get_by_label("口座番号（7けたまで）").fill("1234567")
    page.get_by_label("口座名義（カナ）").fill("カネコ ジヨサンイン")
    assert_accessible(page)
    page.get_by_role("button", name="口座を登録する").click()
    page.wait_for_url("**/staff/payments/facilities/")
    page.get_by_role("button", name=re.compile(r"確認済みにする\s*（かねこ助産院）")).click()
    page.wait_for_selector("text=口座を確認済みにしました")
    screenshot(page, "staff-payments-facilities")

    # Build for today.
    page.goto(page.live_url + "/staff/payments/")
    page.get_by_label("支払日").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="この日の支払を作成する").click()
    page.wait_for_url("**/staff/payments/*/")
    main = page.inner_text("main")
    assert "支払を作成しました（2件、69,000円）" in main
    assert "保留（口座の登録・確認待ち） 1件" in main
    assert "みずほ銀行 東京営業部" in main
    assert "確定は決裁者が行います" in main
    assert_accessible(page)
    screenshot(page, "staff-payments-draft")
    batch_url = page.url
    # The held reimbursement: her account, to be checked against the passbook copy.
    page.get_by_role("region", name="保留").get_by_role("link").first.click()
    page.wait_for_url("**/staff/payments/reimbursements/*/account/")
    assert "未確認" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "staff-payments-payee-account")

    # The approver (not the clerk who built it) locks it.
    page.get_by_role("button", name="ログアウト").click()
    page = staff_page(boss)
    page.goto(batch_url)
    page.get_by_role("button", name="支払を確定する").click()
    page.wait_for_selector("text=支払を確定しました")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="全銀ファイル（総合振込）をダウンロード").click()
    body = download.value.path().read_bytes()
    records = body.split(b"\r\n")[:-1]
    assert [len(record) for record in records] == [120] * 5
    assert records[0][:14] == b"12101234567890"
    assert records[0][14:54].decode("cp932").rstrip() == "ｿｳｼﾞﾔｼ"
    assert [record[:1] for record in records] == [b"1", b"2", b"2", b"8", b"9"]
    assert records[3][1:19] == b"000002000000069000"
    screenshot(page, "staff-payments-locked")

    page.get_by_role("button", name="支払済みにする").click()
    page.wait_for_selector("text=支払済みにしました")
    assert_accessible(page)
    page.get_by_label("の振込不能の理由").first.select_option(label="受取人名の相違")
    page.get_by_role("button", name="振込不能にする").first.click()
    page.wait_for_selector("text=振込不能にしました")
    assert "受取人名の相違" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "staff-payments-paid")

    page.goto(page.live_url + "/staff/payments/")
    assert "支払済み" in page.inner_text("main")
    screenshot(page, "staff-payments-list")
    assert f.facility("kaneko-josanin").bank_accounts.get().confirmed_at is not None
