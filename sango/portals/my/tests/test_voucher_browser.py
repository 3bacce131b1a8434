"""Her voucher on a phone (390×844), as she uses it: opened from her page, its QR code read from
the screen and accepted by the facility's check, opened again with no connection, printed, and
gone from the phone once she logs out."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from sango.core.tests import factories as f
from sango.vouchers.checks import voucher_check_at_facility

pytestmark = pytest.mark.browser


def test_her_voucher_is_read_by_the_facility_and_opens_offline(
    my_page, new_mother, assert_light, screenshot
):
    mother = new_mother()
    application = f.approved_application(mother=mother, grants={"stay": 5, "day": 2})
    voucher = f.voucher_for(application)
    page = my_page(mother.user)
    main = page.locator("main")
    assert_light(page)
    screenshot(page, "my-home-approved")

    main.get_by_role("link", name="利用券を開く").click()
    page.wait_for_url(f"{page.live_url}/my/vouchers/{voucher.pk}/")
    assert voucher.number in main.inner_text() and "あと5泊" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-voucher")

    # the facility's reception reads the QR code off her screen
    png = page.locator(".voucher__qr svg").screenshot()
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    kaneko = f.facility_staff("kaneko-josanin")
    assert read and voucher_check_at_facility(actor=kaneko, qr=read[0].text) == voucher

    # kept on the phone: with no connection the page still opens, from the service worker
    page.wait_for_selector("html[data-offline='ready']")
    assert main.get_by_text("電波がないときも開けます").is_visible()
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    assert voucher.number in main.inner_text()
    assert page.locator("[data-offline-now]").is_visible()
    screenshot(page, "my-voucher-offline")
    # opened from the home screen (the manifest's start_url) with no connection: her voucher
    page.goto(f"{page.live_url}/my/")
    assert voucher.number in main.inner_text()
    with pytest.raises(Exception):  # noqa: B017 - a page never opened is not kept
        page.goto(f"{page.live_url}/my/bookings/")
    page.context.set_offline(False)

    page.goto(f"{page.live_url}/my/vouchers/{voucher.pk}/print/")
    assert voucher.number in page.locator("main").inner_text()
    assert_light(page)
    screenshot(page, "my-voucher-print")

    # logging out clears what the phone kept
    page.goto(f"{page.live_url}/my/vouchers/{voucher.pk}/")
    page.wait_for_selector("html[data-offline='ready']")
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(f"{page.live_url}/my/login/**")
    assert page.evaluate("caches.keys()") == []
    page.context.set_offline(True)
    with pytest.raises(Exception):  # noqa: B017 - nothing is served offline any more
        page.goto(f"{page.live_url}/my/vouchers/{voucher.pk}/")
    page.context.set_offline(False)
