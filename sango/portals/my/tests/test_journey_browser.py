"""From "what is this?" to a booked stay without phoning anyone, in a programme that takes
applications online (ゆりかご市, the sample): a mother on her phone (390×844) finds a facility
for her baby, signs up (the verification mail read from the outbox), applies online with a
photo of a document; こども課 interviews her and an approver approves in /staff/ (1366×768);
her voucher shows a QR code that the facility's check accepts; she asks for a stay, the clinic
confirms it in /facility/ (768×1024), and she cancels it. Every page of hers is within the
weight budget, and every page of every door passes axe-core."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.core import mail
from django.utils import timezone
from PIL import Image

from sango.applications.models import Application
from sango.applications.services import application_record_interview, application_verify_tier
from sango.bookings.capacity import capacity_set
from sango.bookings.models import Booking
from sango.conftest import OFFICE, PHONE, TABLET
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.notifications.tests.fixtures import IMMEDIATE
from sango.portals.my.tests.test_apply_browser import photo
from sango.vouchers.checks import voucher_check_at_facility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINIC = "yurikago-sample-clinic"
EMAIL, PASSWORD = "aoi.journey@example.jp", "yurikago-no-haru-2026"


@pytest.fixture(autouse=True)
def _yurikago():
    with f.with_test_programmes():
        yield


def _signed_in(browser, live_url, user, size):
    """A page of its own (another device) signed in at the door ``user`` uses."""
    door = "staff" if user.is_municipal_staff else "facility"
    page = browser.new_context(locale="ja-JP", viewport=size).new_page()
    page.goto(f"{live_url}/{door}/login/")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill("pw-for-tests")
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_url}/{door}/")
    return page


def test_from_finding_a_facility_to_a_booked_stay_on_her_phone(
    browser, phone_page, settings, assert_light, assert_accessible, screenshot
):
    settings.TASKS = IMMEDIATE  # mail goes out as each step commits, as the worker would
    clinic_staff = f.facility_staff(CLINIC)
    capacity_set(facility=clinic_staff.facility, actor=clinic_staff, service="stay", places=2)
    born = timezone.localdate() - timedelta(days=25)
    page, base = phone_page, phone_page.live_url
    main = page.locator("main")

    # 1. 施設をさがす, before she has any account.
    page.goto(f"{base}/my/find/")
    main.get_by_role("link", name="ゆりかご市").click()
    main.get_by_label("生まれた日、または出産予定日").fill(wareki(born))
    main.get_by_role("button", name="施設をさがす").click()
    page.wait_for_url(f"{base}/my/find/{f.YURIKAGO}/results/")
    assert "ゆりかごレディースクリニック" in main.inner_text()
    assert born.isoformat() not in page.url
    assert_light(page)
    screenshot(page, "my-journey-find")

    # 2. Sign up; the link comes by mail.
    page.goto(f"{base}/my/signup/")
    main.get_by_label("メールアドレス").fill(EMAIL)
    main.get_by_label("パスワード").fill(PASSWORD)
    main.get_by_role("button", name="登録して確認のメールを受け取る").click()
    page.wait_for_url(f"{base}/my/signup/sent/")
    assert_light(page)
    (sent,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/my/signup/verify/\S+)", sent.body)[1]
    page.goto(f"{base}{link}")
    main.get_by_role("button", name="確認してマイページに入る").click()
    page.wait_for_url(f"{base}/my/")
    assert_light(page)

    # 3. Her details, then the online application with a photo of the tax certificate.
    page.goto(f"{base}/my/details/?next=/my/apply/")
    main.get_by_label("利用する市町村").select_option(label="ゆりかご市")
    main.get_by_label("お母さんの氏名").fill("旅路 葵")
    main.get_by_label("フリガナ").fill("たびじ あおい")
    main.get_by_label("お母さんの生年月日").fill("平成7年7月7日")
    main.get_by_label("郵便番号").fill("000-0001")
    main.get_by_label("住所").fill("静岡県ゆりかご市中央1-1（架空）")
    main.get_by_label("電話番号").fill("０９０１２３４５６７８")
    main.get_by_text("生まれています", exact=True).click()
    main.get_by_label("赤ちゃんの生年月日").fill(born.isoformat())
    main.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"{base}/my/apply/")
    main.get_by_role("link", name="申請をはじめる").click()
    main.get_by_role("radio", name=re.compile("お母さん本人")).check()
    main.get_by_role("button", name="保存して次へ").click()
    main.get_by_role("link", name="お住まい（里帰り）").click()
    main.get_by_text("住民票のある市町村に住んでいます").click()
    main.get_by_role("button", name="保存して次へ").click()
    main.get_by_role("link", name="いまの状態").click()
    main.get_by_text("産後の心身の不調があり休養が必要").click()
    main.get_by_role("button", name="保存して次へ").click()
    main.get_by_role("link", name="書類").click()
    page.locator("#id_d1-file").set_input_files(photo())
    main.get_by_role("button", name="アップロード").click()
    assert main.get_by_text("アップロードしました").is_visible()
    main.get_by_role("link", name="申請の項目にもどる").click()
    main.get_by_role("link", name="確認して送信").click()
    assert_light(page)
    screenshot(page, "my-journey-check")
    main.get_by_role("button", name="この内容で申請する").click()
    page.wait_for_url(re.compile(r".*/my/apply/\d+/done/$"))
    assert_light(page)
    application = Application.objects.get(mother__user__email=EMAIL)
    assert application.status == "submitted" and application.channel == "online"
    received = [m for m in mail.outbox if m.to == [EMAIL] and "申請を受け付けました" in m.subject]
    assert len(received) == 1

    # 4. こども課: the nurse's phone interview and the tier from the ledger, then the approver
    # approves in the staff office.
    clerk, boss = f.clerk(f.YURIKAGO), f.approver(f.YURIKAGO)
    application_verify_tier(application=application, actor=clerk, tier="taxable", basis="ledger")
    application_record_interview(
        application=application,
        actor=clerk,
        conducted_at=timezone.now(),
        method="phone",
        needs_found=["physical_recovery"],
    )
    office = _signed_in(browser, base, boss, OFFICE)
    office.goto(f"{base}/staff/cases/{application.pk}/")
    office.get_by_role("link", name="承認する").click()
    office.get_by_role("button", name="確認へ進む").click()
    assert_accessible(office)
    office.get_by_role("button", name="承認して通知書を発行する").click()
    office.wait_for_url(f"{base}/staff/cases/{application.pk}/")
    assert_accessible(office)
    screenshot(office, "staff-journey-approved")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    voucher = f.voucher_for(application)

    # 5. Her voucher on the phone: the QR code read off the screen passes the facility check.
    page.goto(f"{base}/my/")
    main.get_by_role("link", name="利用券を開く").click()
    page.wait_for_url(f"{base}/my/vouchers/{voucher.pk}/")
    assert voucher.number in main.inner_text()
    assert_light(page)
    screenshot(page, "my-journey-voucher")
    png = page.locator(".voucher__qr svg").screenshot()
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert read and voucher_check_at_facility(actor=clinic_staff, qr=read[0].text) == voucher

    # 6. A stay asked for on a free day; the clinic confirms it; she cancels it.
    free = timezone.localdate() + timedelta(days=9)
    page.locator("nav").get_by_role("link", name="予約").click()
    main.get_by_role("link", name="施設を予約する").click()
    main.get_by_role("link", name="宿泊型").click()
    main.get_by_role("link", name=re.compile("ゆりかごレディースクリニック")).click()
    while not page.locator(f"#day-{free.isoformat()}").count():
        main.get_by_role("link", name="次の月").click()
    page.locator(f"label[for='day-{free.isoformat()}']").click()
    main.get_by_role("button", name="予約を申し込む").click()
    page.wait_for_url(re.compile(r".*/my/bookings/\d+/$"))
    assert_light(page)
    booking = Booking.objects.get(mother=application.mother)
    assert booking.status == Booking.Status.REQUESTED and booking.start_date == free

    reception = _signed_in(browser, base, clinic_staff, TABLET)
    reception.goto(f"{base}/facility/bookings/{booking.pk}/")
    reception.get_by_role("button", name="受ける").click()
    reception.wait_for_load_state()
    assert_accessible(reception)
    screenshot(reception, "facility-journey-accepted")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert any("予約" in m.subject and m.to == [EMAIL] for m in mail.outbox)

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/my/bookings/{booking.pk}/")
    assert "確定" in main.inner_text()
    main.get_by_role("button", name="この予約を取り消す").click()
    page.wait_for_url(f"{base}/my/bookings/")
    assert "予約を取り消しました" in main.inner_text()
    assert_light(page)
    screenshot(page, "my-journey-cancelled")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
