"""熊本市's 利用カード on a phone (390×844): she registers the card she was handed in pregnancy,
then her baby's birth, and sees the card with what remains."""

from __future__ import annotations

import pytest

from sango.core.tests import factories as f
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.browser


def test_she_registers_her_card_and_her_babys_birth(my_page, assert_light, screenshot):
    mother = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO), due_date=f.days_ago(-20))
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")
    page = my_page(f.mother_user())
    main = page.locator("main")
    assert "まず、あなたと赤ちゃんの情報を入力してください" in main.inner_text()
    main.get_by_role("link", name="利用カードを登録する").click()
    assert_light(page)
    main.get_by_label("利用カードの番号").fill(card.number.replace("-", ""))
    main.get_by_label("あなたの生年月日").fill("1990-01-01")
    main.get_by_role("button", name="登録する").click()
    assert "番号と生年月日をお確かめください" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-card-error")
    main.get_by_label("あなたの生年月日").fill("平成6年5月20日")
    main.get_by_role("button", name="登録する").click()

    page.wait_for_url(f"{page.live_url}/my/card/{card.pk}/birth/")
    assert_light(page)
    screenshot(page, "my-card-birth")
    main.get_by_label("赤ちゃんが生まれた日").fill(f.days_ago(3).isoformat())
    main.get_by_role("button", name="登録する").click()
    page.wait_for_url(f"{page.live_url}/my/vouchers/{card.pk}/")
    text = main.inner_text()
    assert card.number in text and "あと" in text and "親子（母子）健康手帳" in text
    assert_light(page)
    screenshot(page, "my-card")
