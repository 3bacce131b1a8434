"""The second factor: setting it up in each door (QR code, first code, recovery codes), the
code after the password, recovery codes used once, and the rule that staff, facility staff and
administrators must have one where ``SANGO_TWO_FACTOR_REQUIRED`` is on — and that neither the
API's session authentication nor its token endpoint walks around it."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sango.audit.models import AuditEvent
from sango.security import two_factor
from sango.security.tests.conftest import PASSWORD

DOORS = {
    "staff": ("clerk", "/staff/"),
    "facility": ("kaneko", "/facility/"),
    "my": ("mother", "/my/"),
}


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def unthrottle() -> None:
    """Forget the wrong codes so far: each device makes the next try wait after one (1 s, 2 s,
    4 s …), which a test would otherwise have to sleep through."""
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    two_factor.recovery_codes_renew(user)
    return device


def log_in(door: str, user) -> Client:
    client = Client()
    response = client.post(f"/{door}/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.mark.parametrize("door", DOORS)
def test_setting_it_up_shows_a_qr_code_then_recovery_codes(door, request):
    who, home = DOORS[door]
    user = request.getfixturevalue(who)
    client = log_in(door, user)
    page = client.get(f"/{door}/security/two-factor/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # Reloading shows the same key, so a half-done scan is not wasted.
    assert (
        client.get(f"/{door}/security/two-factor/setup/")
        .content.decode()
        .count(two_factor.secret_text(device))
        == 1
    )
    wrong = client.post(f"/{door}/security/two-factor/setup/", {"code": "000000"})
    assert "コードが違います" in wrong.content.decode()
    unthrottle()
    done = client.post(f"/{door}/security/two-factor/setup/", {"code": code_of(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == two_factor.RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(actor=user, action="account.two_factor_enrol").exists()
    # This session has passed; the door lets it in.
    assert client.get(home).status_code == 200


def test_setting_it_up_ends_the_sessions_begun_without_it(clerk):
    office, elsewhere = log_in("staff", clerk), log_in("staff", clerk)
    office.get("/staff/security/two-factor/setup/")
    device = TOTPDevice.objects.get(user=clerk)
    office.post("/staff/security/two-factor/setup/", {"code": code_of(device)})
    assert office.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/")["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("door", DOORS)
def test_after_the_password_the_door_asks_for_the_code(door, request):
    who, home = DOORS[door]
    user = request.getfixturevalue(who)
    device = enrolled(user)
    client = log_in(door, user)
    asked = client.get(home)
    assert asked.status_code == 302
    assert asked["Location"].startswith(f"/{door}/security/two-factor/verify/?next=")
    wrong = client.post(asked["Location"], {"code": "123456"})
    assert "コードが違う" in wrong.content.decode()
    assert client.get(home).status_code == 302
    unthrottle()
    right = client.post(asked["Location"], {"code": code_of(device)})
    assert right.status_code == 302 and right["Location"] == home
    assert client.get(home).status_code == 200


def test_a_recovery_code_works_once(clerk):
    enrolled(clerk)
    code = two_factor.recovery_codes_renew(clerk)[0]
    client = log_in("staff", clerk)
    verify = "/staff/security/two-factor/verify/"
    assert client.post(verify, {"code": code.upper()}).status_code == 302
    assert client.get("/staff/").status_code == 200
    again = log_in("staff", clerk)
    assert "コードが違う" in again.post(verify, {"code": code}).content.decode()
    assert two_factor.recovery_codes_left(clerk) == two_factor.RECOVERY_CODES - 1


def test_a_verify_page_never_sends_elsewhere(clerk):
    device = enrolled(clerk)
    client = log_in("staff", clerk)
    response = client.post(
        "/staff/security/two-factor/verify/",
        {"code": code_of(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/"


@override_settings(SANGO_TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("door", ["staff", "facility"])
def test_where_required_staff_and_facilities_must_set_it_up_first(door, request):
    who, home = DOORS[door]
    client = log_in(door, request.getfixturevalue(who))
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/{door}/security/two-factor/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "この役割のアカウントは、2段階認証を設定してから使います" in page
    assert "2段階認証をやめる" not in client.get(f"/{door}/security/").content.decode()


@override_settings(SANGO_TWO_FACTOR_REQUIRED=True)
def test_where_required_mothers_still_choose(mother):
    client = log_in("my", mother)
    assert client.get("/my/").status_code == 200


@override_settings(SANGO_TWO_FACTOR_REQUIRED=True)
def test_where_required_the_api_session_waits_for_the_second_factor(clerk):
    client = log_in("staff", clerk)
    response = client.get("/api/mothers/")
    assert response.status_code == 401


def test_a_mother_may_stop_using_it(mother):
    device = enrolled(mother)
    client = log_in("my", mother)
    client.post("/my/security/two-factor/verify/", {"code": code_of(device)})
    client.post("/my/security/two-factor/remove/")
    assert not two_factor.has_second_factor(mother)
    assert log_in("my", mother).get("/my/").status_code == 200


def test_the_api_token_asks_for_the_code_of_an_enrolled_account(clerk):
    device = enrolled(clerk)
    api = APIClient()
    body = {"username": clerk.username, "password": PASSWORD}
    missing = api.post("/api/auth/token/", body)
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "otp"
    assert api.post("/api/auth/token/", {**body, "otp": code_of(device)}).status_code == 200


@override_settings(SANGO_TWO_FACTOR_REQUIRED=True)
def test_where_required_no_token_without_a_second_factor(kaneko):
    response = APIClient().post(
        "/api/auth/token/", {"username": kaneko.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "2段階認証が必要です" in response.json()["errors"][0]["message"]


def test_where_required_the_admin_asks_for_the_code_too(admin):
    """The URL configuration gives /admin/ django-otp's admin site when the setting is on."""
    import importlib

    from django.contrib import admin as django_admin
    from django.urls import clear_url_caches
    from django_otp.admin import OTPAdminSite

    import sango.config.urls

    plain = django_admin.site.__class__
    client = Client()
    client.force_login(admin)
    try:
        with override_settings(SANGO_TWO_FACTOR_REQUIRED=True):
            importlib.reload(sango.config.urls)
            clear_url_caches()
            assert isinstance(django_admin.site, OTPAdminSite)
            assert client.get("/admin/")["Location"].startswith("/admin/login/")
            login = client.get("/admin/login/").content.decode()
            assert 'name="otp_token"' in login
    finally:
        django_admin.site.__class__ = plain
        clear_url_caches()
    assert client.get("/admin/").status_code == 200


def test_a_second_factor_removed_elsewhere_is_not_asked_for(mother):
    device = enrolled(mother)
    phone = log_in("my", mother)
    tablet = log_in("my", mother)
    phone.post("/my/security/two-factor/verify/", {"code": code_of(device)})
    phone.post("/my/security/two-factor/remove/")
    assert tablet.get("/my/", follow=True).redirect_chain[-1][0] == "/my/"
