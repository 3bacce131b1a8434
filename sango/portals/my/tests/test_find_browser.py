"""施設をさがす on a phone (390×844), as a mother a few weeks after the birth would use it, not
logged in: choose 総社市, type the birth date in 和暦 with full-width digits, read the first
page, filter by service, page through; every page light and accessible."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sango.bookings.capacity import capacity_set
from sango.core.tests import factories as f
from sango.core.wareki import wareki

pytestmark = pytest.mark.browser


def test_she_finds_a_facility_for_her_baby_on_her_phone(phone_page, assert_light, screenshot):
    kaneko = f.facility("kaneko-josanin")
    staff = f.facility_staff("kaneko-josanin")
    capacity_set(facility=kaneko, actor=staff, service="stay", places=2)
    capacity_set(facility=kaneko, actor=staff, service="visit", places=1)
    f.provisional_booking(
        mother=f.mother_with_baby(born=f.days_ago(15)),
        start=timezone.localdate() + timedelta(days=1),
    )
    born = timezone.localdate() - timedelta(days=40)  # 三宅医院 (1か月未満) has passed
    typed = wareki(born).translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    page = phone_page
    base = page.live_url
    page.goto(f"{base}/my/find/")
    main = page.locator("main")
    assert_light(page)
    screenshot(page, "my-find-municipality")
    main.get_by_role("link", name="総社市").click()
    page.wait_for_url(f"{base}/my/find/332089/")
    assert_light(page)

    # A future date first: told next to the field, and nothing typed is lost.
    main.get_by_label("生まれた日、または出産予定日").fill("令和20年1月1日")
    main.get_by_role("button", name="施設をさがす").click()
    assert "生まれた日が今日より後になっています" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-find-error")

    main.get_by_label("生まれた日、または出産予定日").fill(typed)
    main.get_by_text("上記以外の方").click()
    main.get_by_role("button", name="施設をさがす").click()
    page.wait_for_url(f"{base}/my/find/332089/results/")
    assert born.isoformat() not in page.url
    text = main.inner_text()
    assert "利用できる施設 " in text, text
    assert "料金は施設にお問い合わせください" in text
    assert "まず総社市役所 こども課 母子保健係へ連絡してください" in text
    assert_light(page)
    screenshot(page, "my-find-results")

    # Only home visits.
    main.get_by_label("サービス", exact=True).select_option(label="居宅訪問（アウトリーチ）型")
    main.get_by_role("button", name="しぼりこむ").click()
    page.wait_for_url(f"{base}/my/find/332089/results/?service=visit&area=")
    names = main.locator(".find-card__name").all_inner_texts()
    assert "かねこ助産院" in names
    assert "くにとみクリニック" not in names
    assert main.locator(".strip").count() >= 1  # かねこ助産院's visits have a capacity
    assert_light(page)
    screenshot(page, "my-find-visits")

    # Every service again, then through the pages.
    main.get_by_label("サービス", exact=True).select_option(label="すべて")
    main.get_by_role("button", name="しぼりこむ").click()
    seen = set(main.locator(".find-card__name").all_inner_texts())
    while main.get_by_role("link", name="次のページ").count():
        main.get_by_role("link", name="次のページ").click()
        page.wait_for_load_state("load")
        assert born.isoformat() not in page.url
        assert_light(page)
        seen |= set(main.locator(".find-card__name").all_inner_texts())
    assert len(seen) == 26
    screenshot(page, "my-find-last-page")
    # The last page ends with the facilities whose window has passed, folded away.
    assert main.locator("details").count() >= 1


def test_she_sees_her_copay_for_twins_in_kumamoto(phone_page, assert_light, screenshot):
    page = phone_page
    base = page.live_url
    page.goto(f"{base}/my/find/431001/")
    main = page.locator("main")
    main.get_by_label("生まれた日、または出産予定日").fill(f.days_ago(20).isoformat())
    main.get_by_text("2人（ふたご）").click()
    main.get_by_text("上記以外の世帯").click()
    main.get_by_role("button", name="施設をさがす").click()
    page.wait_for_url(f"{base}/my/find/431001/results/")
    text = main.inner_text()
    assert "自己負担額の目安 1泊あたり 4,200円" in text  # 10% of 36,000 + 6,000円
    assert "3時間型 自己負担額の目安 1回あたり 1,200円" in text
    assert "産後4か月以内" in text  # きた総合病院's own window
    assert_light(page)
    screenshot(page, "my-find-kumamoto-twins")
