"""Setting up the second factor as a clerk would at the office PC (1366×768) under a policy
that requires it, and as a mother on her phone: the pages are accessible, and the QR code,
the key and the recovery codes are there to see."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from sango.conftest import OFFICE, PHONE
from sango.security.tests.conftest import PASSWORD
from sango.security.tests.test_two_factor import code_of

pytestmark = pytest.mark.browser


def _log_in(page, base: str, door: str, username: str) -> None:
    page.goto(f"{base}/{door}/login/")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()


@override_settings(SANGO_TWO_FACTOR_REQUIRED=True)
def test_a_clerk_sets_up_the_second_factor_at_first_login(
    page, live_server, clerk, assert_accessible, screenshot
):
    page.set_viewport_size(OFFICE)
    _log_in(page, live_server.url, "staff", clerk.username)
    page.wait_for_url("**/staff/security/two-factor/setup/**")
    assert page.locator(".qr svg").is_visible()
    assert_accessible(page)
    screenshot(page, "staff-two-factor-setup")
    page.get_by_label("確認コード").fill("000000")
    page.get_by_role("button", name="確かめて設定する").click()
    assert page.locator(".field__error").is_visible()
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page.get_by_label("確認コード").fill(code_of(TOTPDevice.objects.get(user=clerk)))
    page.get_by_role("button", name="確かめて設定する").click()
    page.get_by_role("heading", name="回復コード").wait_for()
    assert page.locator(".codes li").count() == 10
    assert_accessible(page)
    screenshot(page, "staff-two-factor-codes")
    page.get_by_role("link", name="しまったので次へ進む").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    page.get_by_role("link", name="ログインの設定").click()
    assert_accessible(page)
    screenshot(page, "staff-security")


def test_a_mother_finds_the_settings_on_her_phone(
    page, live_server, mother, assert_accessible, screenshot
):
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "my", mother.username)
    page.wait_for_url(f"{live_server.url}/my/")
    page.goto(f"{live_server.url}/my/security/")
    assert_accessible(page)
    screenshot(page, "my-security")
    page.get_by_role("link", name="2段階認証を設定する").click()
    assert page.locator(".qr svg").is_visible()
    assert_accessible(page)
    screenshot(page, "my-two-factor-setup")


def test_five_wrong_passwords_show_the_lockout_page(
    page, live_server, kaneko, assert_accessible, screenshot
):
    page.set_viewport_size(OFFICE)
    for _ in range(5):
        page.goto(f"{live_server.url}/facility/login/")
        page.locator("main input[name=username]").fill(kaneko.username)
        page.locator("main input[name=password]").fill("wrong-password-x")
        page.locator("main").get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="ログインを一時的に止めています").wait_for()
    assert_accessible(page)
    screenshot(page, "facility-locked-out")
