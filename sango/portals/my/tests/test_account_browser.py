"""Signing up on her phone (390×844): the form, the mail read from the test outbox, the link,
and マイページ — each page light and accessible, each screenshot looked at."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from sango.notifications.tests.fixtures import IMMEDIATE

pytestmark = pytest.mark.browser


def test_she_signs_up_verifies_her_address_and_is_in(
    phone_page, settings, assert_light, screenshot
):
    settings.TASKS = IMMEDIATE  # the mail is sent as the sign-up commits
    page = phone_page
    page.goto(f"{page.live_url}/my/login/")
    assert_light(page)
    screenshot(page, "my-account-login")
    page.get_by_role("link", name="はじめての方: メールアドレスで登録する").click()
    assert_light(page)
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("パスワード").fill("12345678")
    page.get_by_role("button", name="登録して確認のメールを受け取る").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("メールアドレス").input_value() == "hanako@example.jp"
    assert_light(page)
    screenshot(page, "my-account-signup-error")
    page.get_by_label("パスワード").fill("sakura-hoikuen-2026")
    page.get_by_role("button", name="登録して確認のメールを受け取る").click()
    page.wait_for_url(f"{page.live_url}/my/signup/sent/")
    assert_light(page)
    screenshot(page, "my-account-signup-sent")

    (sent,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/my/signup/verify/\S+)", sent.body)[1]
    page.goto(f"{page.live_url}{path}")
    assert_light(page)
    screenshot(page, "my-account-verify")
    page.get_by_role("button", name="確認してマイページに入る").click()
    page.wait_for_url(f"{page.live_url}/my/")
    assert page.get_by_text("メールアドレスを確認しました").is_visible()
    assert_light(page)
    screenshot(page, "my-account-home")
    page.get_by_role("link", name="お知らせ").click()
    assert_light(page)
    screenshot(page, "my-messages-empty")


def test_the_clerk_prints_a_code_and_she_claims_her_account_on_her_phone(
    page, live_server, settings, assert_light, assert_accessible, screenshot
):
    from sango.conftest import OFFICE, PHONE
    from sango.core.tests import factories as f

    settings.TASKS = IMMEDIATE
    mother = f.mother_with_baby(born=f.days_ago(20))
    case = f.submitted_application(mother=mother)
    clerk = f.clerk()
    page.set_viewport_size(OFFICE)
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ユーザー名").fill(clerk.username)
    page.get_by_label("パスワード").fill("pw-for-tests")
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.goto(f"{live_server.url}/staff/cases/{case.pk}/")
    page.get_by_role("button", name="マイページの登録コードを発行").click()
    code = page.locator("[data-claim-code]").inner_text()
    assert_accessible(page)
    screenshot(page, "staff-claim-code")
    page.emulate_media(media="print")
    screenshot(page, "staff-claim-code-print")
    page.emulate_media(media="screen")
    page.context.clear_cookies()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/my/login/")
    page.get_by_role("link", name="こども課から登録コードを受け取った方").click()
    assert_light(page)
    page.get_by_label("登録コード").fill(code.lower())
    page.get_by_label("あなたの生年月日").fill("1980-01-01")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("パスワード").fill("sakura-hoikuen-2026")
    page.get_by_role("button", name="アカウントをつくる").click()
    assert page.locator("#id_birth_date_error").is_visible()
    assert_light(page)
    screenshot(page, "my-account-claim-error")
    page.get_by_label("あなたの生年月日").fill(mother.birth_date.isoformat())
    page.get_by_label("パスワード").fill("sakura-hoikuen-2026")
    page.get_by_role("button", name="アカウントをつくる").click()
    page.wait_for_url(f"{live_server.url}/my/signup/sent/")
    (sent,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/my/signup/verify/\S+)", sent.body)[1]
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="確認してマイページに入る").click()
    page.wait_for_url(f"{live_server.url}/my/")
    assert_light(page)
    screenshot(page, "my-account-claimed-home")
