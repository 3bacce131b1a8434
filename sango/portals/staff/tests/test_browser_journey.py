"""The whole paper-to-voucher path of 総社市 in the browser, as the people involved do it: the
clerk enters the paper 利用申請書, records the interview and the tier; the approver finds it in
決裁待ち and approves it; the 利用承認通知書兼利用券 PDF's QR code decodes and verifies."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp

from sango.applications.models import Application
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.vouchers.services import voucher_find

pytestmark = pytest.mark.browser


def _qr_of_first_page(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    image = document[0].render(scale=200 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code on the letter's first page"
    return found[0].text


def test_from_the_paper_form_to_a_voucher_that_verifies(
    staff_page, clerk, boss, assert_accessible, screenshot
):
    born = f.days_ago(12)
    page = staff_page(clerk)
    page.get_by_role("link", name="申請の受付").click()
    page.locator("#id_name").fill("旅路 朋美")
    page.locator("#id_name_kana").fill("たびじ ともみ")
    page.locator("#id_birth_date").fill("H3.7.14")
    page.locator("#id_postal_code").fill("７１９－１１３１")
    page.locator("#id_address").fill("岡山県総社市中央1-2-3")
    page.locator("#id_phone").fill("090-0000-1234")
    page.locator("#id_infant1_birth_date").fill(wareki(born))
    page.locator("#id_requested_stay").fill("3")
    page.get_by_role("button", name="この内容で受け付ける").click()
    page.wait_for_url("**/staff/cases/*/")
    application = Application.objects.get(mother__name="旅路 朋美")
    assert application.status == Application.Status.SUBMITTED

    page.get_by_role("link", name="聞き取りを記録").click()
    page.get_by_label("電話").check()
    page.get_by_label("総社市こども家庭センターや産婦健康診査での相談等によって支援が必要").check()
    page.get_by_label("施設への申し送り").fill("授乳の姿勢に不安があります。")
    page.get_by_role("button", name="聞き取りを記録する").click()
    page.wait_for_url(f"**/staff/cases/{application.pk}/")
    page.get_by_role("link", name="世帯の区分を確認").click()
    page.get_by_label("市民税非課税世帯").check()
    page.get_by_label("市の台帳で確認").check()
    page.get_by_role("button", name="区分を記録する").click()
    page.wait_for_url(f"**/staff/cases/{application.pk}/")

    # The approver signs in and finds it waiting for her decision.
    page.context.clear_cookies()
    page = staff_page(boss)
    waiting = page.locator("section[aria-labelledby=step-decision]")
    assert "旅路 朋美" in waiting.inner_text()
    assert_accessible(page)
    screenshot(page, "staff-inbox")
    waiting.get_by_role("link", name=f"利用申請 {application.pk}").click()
    assert_accessible(page)
    screenshot(page, "staff-case")
    page.get_by_role("link", name="承認する").click()
    assert page.get_by_label("短期入所（ショートステイ）型（泊）").input_value() == "3"
    page.get_by_role("button", name="確認へ進む").click()
    page.get_by_role("button", name="承認して通知書を発行する").click()
    page.wait_for_url(f"**/staff/cases/{application.pk}/")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert_accessible(page)

    letter = page.get_by_role("link", name="通知書（PDF）").first.get_attribute("href")
    response = page.request.get(page.live_url + letter)
    assert response.headers["content-type"] == "application/pdf"
    voucher = voucher_find(qr=_qr_of_first_page(response.body()))
    assert voucher.application_id == application.pk
    assert voucher.tier == "tax_exempt"
