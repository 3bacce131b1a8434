"""Reception at かねこ助産院 on a tablet (768×1024): checks a voucher by its number, then by a
photo of its QR code (the file the camera would give, decoded on the server as in use),
records a stay through the preview and opens the mother's receipt."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f
from sango.portals.facility.tests.test_vouchers import NOTE, qr_png, soja_voucher
from sango.usage.models import Use
from sango.vouchers.services import voucher_qr_payload

pytestmark = pytest.mark.browser


def test_reception_checks_a_voucher_records_a_stay_and_prints_the_receipt(
    facility_page, kaneko, assert_accessible, screenshot
):
    voucher = soja_voucher()
    name = voucher.mother.name
    page = facility_page(kaneko)
    base = page.live_url
    main = page.locator("main")

    main.get_by_role("link", name="利用券を確認する").click()
    page.wait_for_url(f"{base}/facility/check/")
    assert_accessible(page)
    screenshot(page, "facility-check")
    main.get_by_label("利用券番号").fill(voucher.number.replace("-", ""))
    main.get_by_label("お母さんの生年月日").fill("平成6年5月20日")
    main.get_by_role("button", name="番号で確認する").click()

    page.wait_for_url(f"{base}/facility/check/voucher/")
    text = main.inner_text()
    assert name in text and NOTE in text and "上限ごとの残り" in text
    assert_accessible(page)
    screenshot(page, "facility-voucher")

    main.get_by_role("link", name="別の利用券を確認する").click()
    page.wait_for_url(f"{base}/facility/check/")
    photo = {
        "name": "qr.png",
        "mimeType": "image/png",
        "buffer": qr_png(voucher_qr_payload(voucher)),
    }
    main.get_by_label("利用券のQRコードの写真").set_input_files(photo)
    main.get_by_role("button", name="写真で確認する").click()
    page.wait_for_url(f"{base}/facility/check/voucher/")
    assert name in main.inner_text()

    main.get_by_role("link", name="この方の利用を記録する").click()
    page.wait_for_url(f"{base}/facility/uses/new/")
    assert_accessible(page)
    main.get_by_label("短期入所（ショートステイ）型").check()
    main.get_by_label("利用日（開始日）").fill(f.days_ago(3).isoformat())
    main.get_by_label("数量").fill("2")
    main.get_by_label("料金（1単位あたり・円）").fill("３０，０００")
    main.get_by_label("助成の対象外の費用").fill("2500")
    screenshot(page, "facility-use-new")
    main.get_by_role("button", name="確認する").click()

    page.wait_for_url(f"{base}/facility/uses/new/")
    due = main.locator(".due").inner_text()
    assert "お母さんから受け取る額" in due and "28,500円" in due
    assert not Use.objects.exists()
    assert_accessible(page)
    screenshot(page, "facility-use-preview")
    main.get_by_role("button", name="記録する").click()

    page.wait_for_url(f"{base}/facility/uses/*/")
    use = Use.objects.get()
    assert "利用を記録しました" in main.inner_text()
    assert_accessible(page)
    screenshot(page, "facility-use")
    receipt = main.get_by_role("link", name="領収書を印刷する（PDF）").get_attribute("href")
    response = page.request.get(f"{base}{receipt}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    main.get_by_role("link", name="訂正する").click()
    page.wait_for_url(f"{base}/facility/uses/{use.pk}/correct/")
    assert_accessible(page)

    page.locator("nav").get_by_role("link", name="利用の記録").click()
    page.wait_for_url(f"{base}/facility/uses/")
    main.get_by_label("利用月").select_option(use.day.strftime("%Y-%m"))
    main.get_by_role("button", name="表示する").click()
    page.wait_for_url(f"{base}/facility/uses/?month=*")
    assert voucher.number in main.inner_text()
    assert_accessible(page)
    screenshot(page, "facility-uses")
