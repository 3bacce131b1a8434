"""The end of the month at かねこ助産院, in a real browser at tablet size: generate last month's
claim to 総社市, submit it through the confirmation, download its 請求書, and read the contract
terms."""

from __future__ import annotations

import pytest

from sango.billing.models import FacilityClaim
from sango.core.wareki import wareki
from sango.letters.tests.reading import pages_text
from sango.portals.facility.tests.test_claims import last_month, record_stays

pytestmark = pytest.mark.browser


def test_reception_generates_submits_and_prints_a_claim(
    facility_page, kaneko, assert_accessible, screenshot
):
    record_stays(kaneko, 3)
    page = facility_page(kaneko)
    month = wareki(last_month(), month_only=True)

    page.locator("nav").get_by_role("link", name="委託料請求").click()
    page.get_by_role("heading", name="委託料請求", exact=True).wait_for()
    assert page.get_by_label("対象月").input_value() == last_month().isoformat()
    page.get_by_label("請求先の市町村").select_option(label="総社市")
    assert_accessible(page)
    page.get_by_role("button", name="請求を作成する").click()

    page.get_by_text(f"総社市宛ての{month}分の請求を作成しました（3件、51,000円）。").wait_for()
    assert "短期入所（ショートステイ）型" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="提出へ進む").click()

    page.get_by_role("heading", name="この内容で総社市に請求します").wait_for()
    assert "51,000円" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="提出する").click()

    page.get_by_text(f"総社市に{month}分の請求を提出しました。").wait_for()
    assert_accessible(page)
    screenshot(page, "facility-claim")
    claim = FacilityClaim.objects.get()
    assert claim.status == FacilityClaim.Status.SUBMITTED

    href = page.get_by_role("link", name="請求書（PDF）").get_attribute("href")
    response = page.request.get(f"{page.live_url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pages_text(response.body())[0]
    assert "総社市長様" in text and "51,000円" in text and f"{month}分" in text

    page.get_by_role("link", name="委託料請求").first.click()
    page.get_by_role("heading", name="これまでの請求").wait_for()
    assert "提出済み" in page.locator("table").inner_text()
    assert_accessible(page)
    screenshot(page, "facility-claims")

    page.locator("nav").get_by_role("link", name="契約内容").click()
    page.get_by_role("heading", name="契約内容", exact=True).wait_for()
    assert "17,000円" in page.locator("#m-332089").inner_text()
    assert "30,000円" in page.locator("#m-431001").inner_text()
    assert_accessible(page)
    screenshot(page, "facility-contracts")


def test_a_returned_claim_is_read_regenerated_and_sent_again(
    facility_page, kaneko, assert_accessible, screenshot
):
    from sango.portals.facility.tests.test_claims import returned_claim

    claim = returned_claim(kaneko)
    page = facility_page(kaneko)
    page.goto(f"{page.live_url}/facility/claims/{claim.pk}/")
    returned = page.locator("section", has=page.get_by_role("heading", name="返戻された明細"))
    assert "理由 4: 料金が契約と異なります（契約料金は28,000円）" in returned.inner_text()
    assert_accessible(page)
    screenshot(page, "facility-claim-returned")
    page.get_by_role("button", name="請求を作り直す").click()
    page.get_by_text("請求を作り直しました（2件、34,000円）。").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="提出へ進む").click()
    page.get_by_role("button", name="提出する").click()
    page.get_by_text("請求を提出しました").wait_for()
    claim.refresh_from_db()
    assert claim.status == FacilityClaim.Status.SUBMITTED
