"""A 総社市 clerk in a real browser prices a rule change: opens 制度改正の試算, edits the copy of
the programme document (宿泊 7泊 → 10泊), runs it over the year's uses and reads the tables;
then a draft with a mistake shows its problem and replays nothing."""

from __future__ import annotations

from datetime import date

import pytest

from sango.core.tests import factories as f
from sango.usage.services import use_record

pytestmark = pytest.mark.browser


def _uses() -> None:
    """Two mothers: one used all 7 nights (3 + 4), the other 2 nights and a day of day care."""
    kaneko = f.facility_staff("kaneko-josanin")
    plans = [("taxable", [("stay", 3), ("stay", 4)]), ("tax_exempt", [("stay", 2), ("day", 1)])]
    for n, (tier, uses) in enumerate(plans):
        mother = f.mother_with_baby(born=date(2026, 3, 1))
        card = f.voucher_for(
            f.approved_application(mother=mother, grants={"stay": 7, "day": 7}, tier=tier)
        )
        for i, (service, quantity) in enumerate(uses):
            use_record(
                voucher_id=card.pk,
                facility=kaneko.facility,
                actor=kaneko,
                idempotency_key=f"{n}-{i}",
                service=service,
                day=date(2026, 4 + i, 10),
                quantity=quantity,
                fee=30000 if service == "stay" else 12000,
            )


def test_a_clerk_prices_ten_nights_instead_of_seven(
    staff_page, clerk, assert_accessible, screenshot
) -> None:
    _uses()
    page = staff_page(clerk)
    page.get_by_role("link", name="制度改正の試算").click()
    page.wait_for_url(f"{page.live_url}/staff/whatif/")
    main = page.locator("main")
    assert_accessible(page)
    screenshot(page, "staff-whatif-form")

    document = main.get_by_label("試算の制度文書（YAML）")
    text = document.input_value()
    assert "limit: 7, services: [stay]" in text
    document.fill(text.replace("limit: 7, services: [stay]", "limit: 10, services: [stay]"))
    main.get_by_label("利用日（から）").fill("R8.4.1")
    main.get_by_label("利用日（まで）").fill("令和8年9月30日")
    main.get_by_role("button", name="試算する").click()

    result = main.locator("section", has=page.get_by_role("heading", name="試算の結果"))
    result.wait_for()
    assert "2人・4件の利用（利用記録のある方のみ）" in result.inner_text()
    assert "短期入所（ショートステイ）型: 1人。試算の上限なら、あと合わせて3泊まで使えました。" in (
        result.inner_text()
    )
    by_service = result.get_by_role("table", name="サービス別")
    assert by_service.get_by_role("row", name="短期入所（ショートステイ）型").is_visible()
    assert "9泊" in by_service.inner_text()
    assert result.get_by_role("table", name="世帯の区分別").get_by_text("市民税非課税世帯").count()
    assert_accessible(page)
    screenshot(page, "staff-whatif-result")

    # A mistake in the draft: its line and field are shown, and nothing is replayed.
    document = main.get_by_label("試算の制度文書（YAML）")
    document.fill(document.input_value().replace("limit: 10, services: [stay]", "limit: 十"))
    main.get_by_role("button", name="試算する").click()
    problems = main.get_by_role("table", name="制度文書の問題")
    problems.wait_for()
    assert "行目 versions.1.caps.0" in problems.inner_text()
    assert main.get_by_role("heading", name="試算の結果").count() == 0
    assert "limit: 十" in main.get_by_label("試算の制度文書（YAML）").input_value()
    assert_accessible(page)
    screenshot(page, "staff-whatif-invalid")
