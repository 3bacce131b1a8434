"""The quote simulator in a real browser, on a phone-sized screen, filled in as a mother would."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def field(page, label: str):
    """The input whose label starts with ``label`` (labels may end with 必須)."""
    return page.get_by_label(re.compile(f"^{label}"))


def test_mother_estimates_a_stay_on_her_phone(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("programs:quote", args=["332089"]))

    field(page, "サービス").select_option(label="短期入所（ショートステイ）型")
    field(page, "利用日").fill("2026-05-10")
    field(page, "利用する施設").select_option(label="かねこ助産院")
    field(page, "施設の利用料金").fill("30000")
    field(page, "世帯の区分").select_option(label="生活保護世帯")
    field(page, "赤ちゃんの生まれた日").fill("2026-03-01")
    page.get_by_role("button", name="計算する").click()

    result = page.locator("#result")
    result.wait_for()
    assert "利用できます" in result.locator(".result__verdict").inner_text()
    assert result.locator(".amount--subsidy dd").inner_text() == "26,000円"
    assert result.locator(".amount--copay dd").inner_text() == "4,000円"
    # A POST form: nothing typed is in the address (access logs, history), yet kept on the page.
    assert "2026-03-01" not in page.url and "?" not in page.url
    assert field(page, "施設の利用料金").input_value() == "30000"
    # One column, nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = page.get_by_role("button", name="計算する").bounding_box()
    assert button["height"] >= 44

    screenshots = settings.VAR_DIR / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "quote-mobile.png"), full_page=True)


def test_a_mistake_is_shown_at_its_field(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("programs:quote", args=["332089"]))

    field(page, "サービス").select_option("stay")
    field(page, "利用日").fill("２０２６年１３月１日")
    field(page, "世帯の区分").select_option("welfare")
    field(page, "赤ちゃんの生まれた日").fill("2026-03-01")
    page.get_by_role("button", name="計算する").click()

    error = page.locator("#id_date_field .field__error")
    error.wait_for()
    assert "日付として読めません" in error.inner_text()
    assert field(page, "利用日").input_value() == "２０２６年１３月１日"
    assert field(page, "赤ちゃんの生まれた日").input_value() == "2026-03-01"
