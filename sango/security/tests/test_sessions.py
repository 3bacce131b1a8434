"""Session limits and logging out everywhere: staff and facility sessions end after 30 idle
minutes (each request moves the limit on) and 12 hours after login; a mother's after 7 days
whatever she does; "log out everywhere" ends every session and API token of the account, and
a new password ends the API tokens."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from sango.audit.models import AuditEvent
from sango.security.sessions import SEEN, STARTED
from sango.security.tests.conftest import PASSWORD

MINUTE = 60


def log_in(door: str, user) -> Client:
    client = Client()
    client.post(f"/{door}/login/", {"username": user.username, "password": PASSWORD})
    return client


def shift(client: Client, *, started: float | None = None, seen: float | None = None) -> None:
    """Pretend the login or the last request was that many seconds ago."""
    session = client.session
    now = time.time()
    if started is not None:
        session[STARTED] = now - started
    if seen is not None:
        session[SEEN] = now - seen
    session.save()


@pytest.mark.parametrize(("door", "who"), [("staff", "clerk"), ("facility", "kaneko")])
def test_thirty_idle_minutes_end_a_staff_session(door, who, request):
    client = log_in(door, request.getfixturevalue(who))
    shift(client, seen=29 * MINUTE)
    assert client.get(f"/{door}/").status_code == 200  # and the clock starts again
    shift(client, seen=31 * MINUTE)
    response = client.get(f"/{door}/", follow=True)
    assert response.redirect_chain[0][0].startswith(f"/{door}/login/")
    assert "しばらく操作がなかったか" in response.content.decode()


def test_a_working_day_is_the_longest_a_staff_session_lasts(clerk):
    client = log_in("staff", clerk)
    shift(client, started=11 * 60 * MINUTE, seen=MINUTE)
    assert client.get("/staff/").status_code == 200
    shift(client, started=12 * 60 * MINUTE + MINUTE, seen=MINUTE)
    assert client.get("/staff/").status_code == 302


def test_a_mothers_session_has_no_idle_limit_but_ends_after_a_week(mother):
    client = log_in("my", mother)
    shift(client, seen=3 * 24 * 60 * MINUTE, started=3 * 24 * 60 * MINUTE)
    assert client.get("/my/").status_code == 200
    shift(client, started=7 * 24 * 60 * MINUTE + MINUTE)
    assert client.get("/my/").status_code == 302


def test_logging_out_everywhere_ends_every_session_and_token(clerk):
    office, home = log_in("staff", clerk), log_in("staff", clerk)
    token = (
        APIClient()
        .post("/api/auth/token/", {"username": clerk.username, "password": PASSWORD})
        .json()["token"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/mothers/").status_code == 200
    page = office.get("/staff/security/").content.decode()
    assert "すべての端末からログアウトする" in page
    response = office.post("/staff/security/logout-everywhere/", follow=True)
    assert "すべての端末からログアウトしました" in response.content.decode()
    assert office.get("/staff/").status_code == 302
    assert home.get("/staff/").status_code == 302
    assert api.get("/api/mothers/").status_code == 401
    assert not AuthToken.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.filter(actor=clerk, action="account.logout_everywhere").exists()


def test_the_api_logout_ends_that_token_only(mother):
    def token() -> str:
        body = {"username": mother.username, "password": PASSWORD}
        return APIClient().post("/api/auth/token/", body).json()["token"]

    phone, tablet = APIClient(), APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {token()}")
    tablet.credentials(HTTP_AUTHORIZATION=f"Token {token()}")
    assert phone.post("/api/auth/logout/").status_code == 204
    assert phone.get("/api/mothers/").status_code == 401
    assert tablet.get("/api/mothers/").status_code == 200
    assert tablet.post("/api/auth/logout-all/").status_code == 204
    assert tablet.get("/api/mothers/").status_code == 401


def test_an_expired_token_is_refused(mother):
    key = (
        APIClient()
        .post("/api/auth/token/", {"username": mother.username, "password": PASSWORD})
        .json()["token"]
    )
    from django.utils import timezone

    AuthToken.objects.update(expiry=timezone.now())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/mothers/").status_code == 401
    assert not AuthToken.objects.exists()


def test_a_new_password_ends_the_api_tokens(mother):
    AuthToken.objects.create(mother)
    mother.last_login = None
    mother.save(update_fields=["last_login"])
    assert AuthToken.objects.filter(user=mother).exists()  # other saves leave them
    mother.set_password("a-brand-new-passphrase-2026")
    mother.save()
    assert not AuthToken.objects.filter(user=mother).exists()
