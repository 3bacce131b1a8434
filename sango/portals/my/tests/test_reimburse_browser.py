"""県外の施設で利用した費用の請求 in a real browser, on her phone (390×844): a mother with an
approved 総社市 voucher claims a stay out of area with a photo of the receipt and her account,
sees the bank's name as she types its code and the amount before sending, sends, and finds the
claim in her list — each page within the weight budget and without an axe-core violation."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from sango.conftest import OFFICE
from sango.core.tests import factories as f
from sango.portals.my.tests.test_reimburse import claim_sent
from sango.reimbursements.models import Reimbursement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def receipt_photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (250, 250, 245)).save(out, format="PNG")
    return {"name": "ryoshusho.png", "mimeType": "image/png", "buffer": out.getvalue()}


def test_a_mother_claims_a_stay_out_of_area(my_page, new_mother, assert_light, screenshot):
    mother = new_mother(born=f.days_ago(30))
    f.approved_application(mother=mother, grants={"stay": 3})
    page = my_page(mother.user)

    page.get_by_role("link", name="費用の請求").click()
    assert_light(page)
    screenshot(page, "my-reimburse-start")
    page.get_by_role("link", name="請求をはじめる").click()

    assert_light(page)
    page.get_by_label("利用した施設の名前").fill("（サンプル）神戸ベビーケアハウス")
    page.get_by_label("施設の住所").fill("兵庫県神戸市中央区デモ町1-1")
    page.get_by_role("radio", name="短期入所（ショートステイ）型").check()
    page.get_by_label("利用した日（宿泊のときは入所した日）").fill(f.days_ago(12).isoformat())
    page.get_by_label("退所した日（宿泊のとき）").fill(f.days_ago(10).isoformat())
    screenshot(page, "my-reimburse-use")
    page.get_by_role("button", name="次へ").click()

    assert_light(page)
    page.get_by_label("支払った額（円）").fill("５０，０００")
    not_a_photo = {"name": "memo.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}
    page.get_by_label("領収書の写真").set_input_files(not_a_photo)
    page.get_by_role("button", name="次へ").click()
    error = page.locator("#id_receipts_error")
    assert "写真（JPEG・PNG）かPDF" in error.inner_text()
    assert page.get_by_label("支払った額（円）").input_value() == "５０，０００"  # kept
    assert_light(page)
    screenshot(page, "my-reimburse-receipt-error")
    page.get_by_label("領収書の写真").set_input_files(receipt_photo())
    page.get_by_role("button", name="次へ").click()

    assert_light(page)
    page.get_by_label("金融機関コード（4けた）").fill("0168")
    page.get_by_label("支店コード（店番・3けた）").fill("191")
    page.get_by_label("支店コード（店番・3けた）").blur()
    names = page.locator("[data-bank-names]")
    names.filter(has_text="中国銀行 総社支店").wait_for()  # looked up as she types
    page.get_by_label("口座番号（7けたまで）").fill("1234567")
    page.get_by_label("口座名義（カナ）").fill("そうじゃ はなこ")
    screenshot(page, "my-reimburse-account")
    page.get_by_role("button", name="次へ").click()

    page.wait_for_url(f"{page.live_url}/my/reimburse/check/")
    assert_light(page)
    screenshot(page, "my-reimburse-check")
    amount = page.locator(".amount__figure")
    assert amount.inner_text() == "34,000円"  # 2 nights × 17,000 (上記以外の方)
    assert page.get_by_text("ｿｳｼﾞﾔ ﾊﾅｺ").is_visible()
    page.get_by_role("button", name="請求を送信する").click()

    page.get_by_role("heading", name="請求を受け付けました").wait_for()
    assert_light(page)
    screenshot(page, "my-reimburse-done")
    claim = Reimbursement.objects.get()
    assert page.get_by_text(claim.reference).is_visible()
    assert claim.uploads.count() == 1 and claim.bank_account.number == "1234567"

    page.get_by_role("link", name="請求の一覧へ").click()
    assert_light(page)
    screenshot(page, "my-reimburse-list")
    assert page.get_by_text("受付済み").first.is_visible()
    assert page.get_by_role("link", name="（サンプル）神戸ベビーケアハウス").is_visible()


def test_the_approver_sees_the_receipt_and_the_account(
    page, live_server, screenshot, new_mother, assert_accessible
):
    claim = claim_sent(new_mother(born=f.days_ago(30)))
    approver = f.approver()
    page.set_viewport_size(OFFICE)
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ユーザー名").fill(approver.username)
    page.get_by_label("パスワード").fill("pw-for-tests")
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.goto(f"{live_server.url}/staff/reimbursements/{claim.pk}/")
    receipt = page.get_by_role("img", name="領収書 1枚目")
    expect(receipt).to_have_js_property("complete", True)  # loaded, or failed to
    assert receipt.evaluate("img => img.naturalWidth") > 0  # served to her municipality's staff
    assert page.get_by_text("中国銀行（0168）").is_visible()
    assert page.get_by_text("34,000円").first.is_visible()
    assert_accessible(page)
    screenshot(page, "staff-reimbursement-receipt")
    page.get_by_role("button", name="支給を決定する").click()
    page.get_by_text("支給を決定しました（支給額 34,000円）").wait_for()
