"""オンライン申請 in a real browser, as she would on her phone (390×844): her details, the task
list, a photo uploaded, check your answers, send, the confirmation — and the same by proxy;
each page within the weight budget and without an axe-core violation. Then the clerk opens
the case in the staff office (1366×768) and the photo she sent."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from sango.applications.models import Application
from sango.conftest import OFFICE
from sango.core.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _yurikago():
    with f.with_test_programmes():
        yield


def photo(name: str = "kazei.png") -> dict:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (230, 220, 200)).save(out, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


def fill_details(page, assert_light, screenshot) -> None:
    page.goto(f"{page.live_url}/my/details/?next=/my/apply/")
    assert_light(page)
    screenshot(page, "my-apply-details")
    page.get_by_label("利用する市町村").select_option(label="ゆりかご市")
    page.get_by_label("お母さんの氏名").fill("試験 花子")
    page.get_by_label("フリガナ").fill("しけん はなこ")
    page.get_by_label("お母さんの生年月日").fill("H6.5.20")
    page.get_by_label("郵便番号").fill("719-1131")
    page.get_by_label("郵便番号").blur()
    # the look-up fills the address from the postal code
    expect(page.locator("#id_address")).not_to_have_value("")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_text("生まれています", exact=True).click()
    page.get_by_label("赤ちゃんの生年月日").fill(f.days_ago(25).isoformat())
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(f"{page.live_url}/my/apply/")


def fill_application(page, assert_light, screenshot, *, proxy: bool) -> None:
    assert_light(page)
    screenshot(page, "my-apply-start")
    page.get_by_role("link", name="申請をはじめる").click()
    assert_light(page)
    who = "代理の方（夫" if proxy else "お母さん本人"
    page.get_by_role("radio", name=re.compile(re.escape(who))).check()
    page.get_by_role("button", name="保存して次へ").click()
    assert_light(page)
    screenshot(page, f"my-apply-tasks{'-proxy' if proxy else ''}")

    page.get_by_role("link", name="お住まい（里帰り）").click()
    assert_light(page)
    page.get_by_text("里帰り中です").click()
    page.get_by_role("button", name="保存して次へ").click()
    assert_light(page)  # 里帰り without the home municipality: the message next to the field
    screenshot(page, "my-apply-residence-error")
    assert page.locator("#id_home_municipality_error").is_visible()
    page.get_by_role("textbox", name="住民票のある市町村（里帰りの方）").fill("岡山県倉敷市")
    page.get_by_role("button", name="保存して次へ").click()

    page.get_by_role("link", name="いまの状態").click()
    assert_light(page)
    page.get_by_text("育児に強い不安がある").click()
    page.get_by_role("button", name="保存して次へ").click()

    page.get_by_role("link", name="書類").click()
    assert_light(page)
    page.locator("#id_d1-file").set_input_files(photo())
    page.get_by_role("button", name="アップロード").click()
    assert_light(page)
    screenshot(page, "my-apply-documents")
    assert page.get_by_text("アップロードしました").is_visible()

    if proxy:
        page.get_by_role("link", name="申請の項目にもどる").click()
        page.get_by_role("link", name="代理申請").click()
        assert_light(page)
        page.get_by_label("代理の方の氏名").fill("試験 太郎")
        page.get_by_label("お母さんとの関係").fill("夫")
        page.get_by_label("代理の方の本人確認書類の種類").fill("運転免許証")
        page.get_by_label("代理人の本人確認書類").set_input_files(photo("id.png"))
        page.get_by_label("委任状").set_input_files(photo("inin.png"))
        page.get_by_role("button", name="保存して次へ").click()
        screenshot(page, "my-apply-tasks-proxy-done")
    else:
        page.get_by_role("link", name="申請の項目にもどる").click()

    assert_light(page)
    page.get_by_role("link", name="確認して送信").click()
    assert_light(page)
    screenshot(page, f"my-apply-check{'-proxy' if proxy else ''}")
    page.get_by_role("button", name="この内容で申請する").click()
    page.wait_for_url(re.compile(r".*/my/apply/\d+/done/$"))
    assert_light(page)
    screenshot(page, f"my-apply-done{'-proxy' if proxy else ''}")


def test_she_applies_online_with_a_photo(my_page, assert_light, screenshot):
    user = f.mother_user()
    page = my_page(user)
    fill_details(page, assert_light, screenshot)
    fill_application(page, assert_light, screenshot, proxy=False)
    application = Application.objects.get(mother__user=user)
    assert page.get_by_text(str(application.pk), exact=True).is_visible()
    assert application.status == "submitted" and application.channel == "online"
    assert application.home_municipality == "岡山県倉敷市"


def test_her_husband_applies_for_her(my_page, assert_light, screenshot):
    user = f.mother_user()
    page = my_page(user)
    fill_details(page, assert_light, screenshot)
    fill_application(page, assert_light, screenshot, proxy=True)
    application = Application.objects.get(mother__user=user)
    assert application.by_proxy and application.attorney_letter_received
    assert application.uploads.count() == 3


def test_the_clerk_opens_the_case_and_the_photo(page, live_server, screenshot, new_mother):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sango.applications.services import application_create
    from sango.uploads.services import upload_store

    mother = new_mother(code=f.YURIKAGO)
    application = application_create(actor=mother.user, mother=mother)
    upload_store(
        actor=mother.user,
        mother=mother,
        file=SimpleUploadedFile("p.png", photo()["buffer"]),
        kind="document",
        label="市民税の課税証明書",
        application=application,
    )
    clerk = f.clerk(f.YURIKAGO)
    page.set_viewport_size(OFFICE)
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ユーザー名").fill(clerk.username)
    page.get_by_label("パスワード").fill("pw-for-tests")
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.goto(f"{live_server.url}/staff/cases/{application.pk}/")
    screenshot(page, "staff-case-uploads")
    link = page.get_by_role("link", name="市民税の課税証明書")
    assert link.is_visible()
    href = link.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    page.goto(f"{live_server.url}{href}")
    screenshot(page, "staff-upload-photo")


def test_soja_offers_the_pre_filled_form(my_page, assert_light, screenshot, new_mother):
    page = my_page(new_mother().user)
    page.get_by_role("link", name="申請", exact=True).click()
    assert_light(page)
    screenshot(page, "my-apply-paper")
    link = page.get_by_role("link", name="申請書（PDF）を開く")
    response = page.request.get(f"{page.live_url}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
