"""かねこ助産院's reception on a tablet: sets its beds, reads the calendar, answers two
requests from こども課 (one accepted, one declined with a reason), enters a booking taken by
phone, and cancels a booking — the mother on the waitlist is offered the bed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sango.bookings.models import Booking, WaitlistEntry
from sango.bookings.services import booking_request
from sango.core.tests import factories as f

pytestmark = pytest.mark.browser


def ahead(days: int):
    return f.days_ago(-days)


def request_stay(mother, start, nights=1) -> Booking:
    return booking_request(
        facility=f.facility("kaneko-josanin"),
        mother=mother,
        actor=f.clerk(),
        service="stay",
        start_date=start,
        end_date=start + timedelta(days=nights),
    )


def test_reception_sets_beds_answers_requests_and_the_waitlist_gets_an_offer(
    facility_page, kaneko, assert_accessible, screenshot
):
    night = ahead(3)
    accepted = f.mother_with_baby(born=f.days_ago(20))
    declined = f.mother_with_baby(born=f.days_ago(22))
    request_stay(accepted, night)
    request_stay(declined, ahead(4))
    shown = f.mother_with_baby(born=f.days_ago(18))
    application = f.approved_application(mother=shown, grants={"stay": 3})
    f.provisional_booking(mother=shown, application=application, start=ahead(40))

    page = facility_page(kaneko)
    base = page.live_url
    main = page.locator("main")
    nav = page.get_by_role("navigation", name="施設用メニュー")
    assert "返事を待っている予約" in main.inner_text()
    assert_accessible(page)

    # 受入枠: two beds a night, one visit a day
    nav.get_by_role("link", name="予約と空き状況").click()
    page.wait_for_url(f"{base}/facility/bookings/")
    assert_accessible(page)
    main.get_by_role("link", name="受入枠・休業日・受付の設定").click()
    page.wait_for_url(f"{base}/facility/bookings/settings/")
    assert_accessible(page)
    main.get_by_label("短期入所（ショートステイ）型／宿泊型（1泊あたりの受入数）").fill("1")
    main.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"{base}/facility/bookings/settings/")
    # one bed: each of the two requests is on its own night
    assert "保存しました" in main.inner_text()
    main.get_by_label("短期入所（ショートステイ）型／宿泊型（1泊あたりの受入数）").fill("0")
    main.get_by_role("button", name="保存する").click()
    assert "すでにそれより多くの予約があります" in main.inner_text()
    assert_accessible(page)
    main.get_by_label("短期入所（ショートステイ）型／宿泊型（1泊あたりの受入数）").fill("２")
    main.get_by_label("居宅訪問（アウトリーチ）型（1日あたりの受入数）").fill("1")
    main.get_by_label("キャンセルについてのご案内").fill(
        "前日以降のキャンセルは施設の規定によります。"
    )
    main.get_by_role("button", name="保存する").click()
    assert "保存しました" in main.inner_text()
    main.get_by_role("textbox", name="休業日").fill(ahead(20).isoformat())
    main.get_by_label("メモ").fill("研修のため")
    main.get_by_role("button", name="休業日を追加する").click()
    assert "休業日にしました" in main.inner_text()
    screenshot(page, "facility-booking-settings")
    assert_accessible(page)

    # the calendar: free places per night, never names
    nav.get_by_role("link", name="予約と空き状況").click()
    page.wait_for_url(f"{base}/facility/bookings/")
    calendar = main.locator("table.calendar")
    assert "空き 1/2" in calendar.inner_text()
    assert accepted.name not in calendar.inner_text()

    screenshot(page, "facility-bookings")
    # answer the requests: accept one, decline the other with a reason
    main.get_by_role("button", name="受ける").filter(has_text=accepted.name).click()
    page.wait_for_url(f"{base}/facility/bookings/*/")
    assert "予約を受けました" in main.inner_text() and "仮予約" in main.inner_text()
    assert_accessible(page)
    nav.get_by_role("link", name="予約と空き状況").click()
    main.get_by_role("button", name="お断りする").filter(has_text=declined.name).click()
    # the browser asks for the reason first (required); without JS the server asks too
    assert page.url == f"{base}/facility/bookings/"
    main.get_by_label("お断りの理由").fill("その日は助産師が不在のため")
    main.get_by_role("button", name="お断りする").filter(has_text=declined.name).click()
    page.wait_for_url(f"{base}/facility/bookings/")
    assert "お断りしました" in main.inner_text()
    assert Booking.objects.get(mother=declined).decline_reason == "その日は助産師が不在のため"
    assert_accessible(page)

    # a booking by phone for the night that is now full → the waitlist
    booking = Booking.objects.get(mother=accepted)
    request_stay(f.mother_with_baby(born=f.days_ago(25)), night)  # the second bed
    main.get_by_role("link", name="電話で受けた予約を入れる").click()
    page.wait_for_url(f"{base}/facility/bookings/new/")
    assert_accessible(page)
    main.get_by_label("お母さん（利用券・利用カード）").select_option(
        label=f"{shown.name}（総社市 {application.voucher.number}）"
    )
    main.get_by_label("サービス").select_option(value="stay")
    main.get_by_label("開始日（入所日）").fill(night.isoformat())
    main.get_by_label("終了日（退所日）").fill((night + timedelta(days=1)).isoformat())
    main.get_by_role("button", name="予約を入れる").click()
    assert "満床です。キャンセル待ちに登録できます。" in main.inner_text()
    screenshot(page, "facility-booking-new")
    assert_accessible(page)
    main.get_by_role("button", name="キャンセル待ちに登録する").click()
    page.wait_for_url(f"{base}/facility/bookings/#h-waitlist")
    assert WaitlistEntry.objects.get().mother == shown

    # cancel the accepted booking: the bed is offered to the waitlist
    page.goto(f"{base}/facility/bookings/{booking.pk}/")
    screenshot(page, "facility-booking")
    assert_accessible(page)
    main.get_by_role("button", name="この予約を取り消す").click()
    page.wait_for_url(f"{base}/facility/bookings/{booking.pk}/")
    assert "取り消しました" in main.inner_text()
    nav.get_by_role("link", name="予約と空き状況").click()
    waitlist = main.locator("section", has=page.locator("#h-waitlist"))
    assert "空きをご案内中" in waitlist.inner_text() and "回答期限" in waitlist.inner_text()
    assert_accessible(page)
    waitlist.get_by_role("button", name="予約にする").filter(has_text=shown.name).click()
    assert "予約にしました" in main.inner_text()
    assert WaitlistEntry.objects.get().booking.status == Booking.Status.CONFIRMED
