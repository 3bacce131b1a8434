"""Booking on a phone (390×844), as she would: from her bookings to a facility, a free day
picked on its calendar, the request received, a full day refused with the waitlist offered and
joined, and a booking cancelled before its deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sango.bookings.capacity import capacity_set
from sango.bookings.models import Booking, WaitlistEntry
from sango.core.tests import factories as f

pytestmark = pytest.mark.browser


def open_month(page, day) -> None:
    """Page the calendar forward to the month of ``day``, as she would."""
    while not page.locator(f"#day-{day.isoformat()}").count():
        page.locator("main").get_by_role("link", name="次の月").click()
        page.wait_for_load_state()


def test_she_books_a_free_day_joins_a_waitlist_and_cancels(
    my_page, new_mother, assert_light, screenshot
):
    mother = new_mother()
    f.approved_application(mother=mother, grants={"stay": 5})
    kaneko = f.facility_staff("kaneko-josanin")
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    today = timezone.localdate()
    free, full = today + timedelta(days=8), today + timedelta(days=12)
    f.provisional_booking(mother=new_mother(), start=full)

    page = my_page(mother.user)
    main = page.locator("main")
    page.locator("nav").get_by_role("link", name="予約").click()
    page.wait_for_url(f"{page.live_url}/my/bookings/")
    assert_light(page)
    main.get_by_role("link", name="施設を予約する").click()
    assert_light(page)
    screenshot(page, "my-booking-services")
    main.get_by_role("link", name="短期入所（ショートステイ）型").click()
    assert_light(page)
    screenshot(page, "my-booking-facilities")
    main.locator("summary", has_text="倉敷市").click()
    main.get_by_role("link", name="かねこ助産院").click()

    open_month(page, free)
    assert_light(page)
    screenshot(page, "my-booking-calendar")
    page.locator(f"label[for='day-{free.isoformat()}']").click()
    main.get_by_label("泊数").select_option("2")
    main.get_by_role("button", name="予約を申し込む").click()
    page.wait_for_url(f"{page.live_url}/my/bookings/*/")
    assert "予約の申込を受け付けました" in main.inner_text()
    booking = Booking.objects.get(mother=mother)
    assert booking.status == Booking.Status.REQUESTED and booking.start_date == free
    assert_light(page)
    screenshot(page, "my-booking-received")

    page.go_back()
    page.reload()
    open_month(page, full)
    page.locator(f"label[for='day-{full.isoformat()}']").click()
    main.get_by_role("button", name="予約を申し込む").click()
    page.wait_for_load_state()
    assert "満床です" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-booking-full")
    main.get_by_role("button", name="キャンセル待ちに登録する").click()
    page.wait_for_url(f"{page.live_url}/my/bookings/#h-waitlist")
    assert WaitlistEntry.objects.filter(mother=mother, day=full).exists()
    assert "キャンセル待ちに登録しました" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-bookings")

    main.get_by_role("link", name="くわしく見る・取り消す").first.click()
    page.wait_for_url(f"{page.live_url}/my/bookings/{booking.pk}/")
    main.get_by_role("button", name="この予約を取り消す").click()
    page.wait_for_url(f"{page.live_url}/my/bookings/")
    assert "予約を取り消しました" in main.inner_text()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
