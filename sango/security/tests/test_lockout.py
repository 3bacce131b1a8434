"""Login throttling on every door (django-axes): five failures for one username from one
address lock that pair out, whether the account exists or not, with a Japanese message; the
right password does not get through a lockout; another address is not locked; a success
clears the count."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sango.security.tests.conftest import PASSWORD

LIMIT = 5
SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)
DOORS = {
    "staff": ("/staff/login/", "clerk", "/staff/"),
    "facility": ("/facility/login/", "kaneko", "/facility/"),
    "my": ("/my/login/", "mother", "/my/"),
    "admin": ("/admin/login/", "admin", "/admin/"),
}


def _try(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


@pytest.mark.parametrize("door", DOORS)
def test_five_wrong_passwords_lock_the_login_out_with_a_japanese_message(door, request):
    url, who, _home = DOORS[door]
    user = request.getfixturevalue(who)
    client = Client()
    for _ in range(LIMIT - 1):
        response = _try(client, url, user.username, "wrong-password-x")
        assert response.status_code == 200  # the form again, "wrong password"
    locked = _try(client, url, user.username, "wrong-password-x")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "ログインに続けて失敗したため" in page and "15分間" in page
    assert locked["Retry-After"] == "900"
    # The right password does not get through the lockout.
    assert _try(client, url, user.username, PASSWORD).status_code == 429


def test_an_unknown_username_is_answered_like_a_wrong_password(clerk):
    client = Client()
    wrong = _try(client, "/staff/login/", clerk.username, "wrong-password-x").content.decode()
    unknown = _try(client, "/staff/login/", "nobody-here", "wrong-password-x").content.decode()
    assert SUMMARY.search(wrong).group(0) == SUMMARY.search(unknown).group(0)
    for _ in range(LIMIT - 1):
        last = _try(client, "/staff/login/", "nobody-here", "wrong-password-x")
    assert last.status_code == 429


def test_the_lockout_is_for_that_username_from_that_address_only(clerk):
    client = Client()
    for _ in range(LIMIT):
        _try(client, "/staff/login/", clerk.username, "wrong-password-x")
    elsewhere = client.post(
        "/staff/login/",
        {"username": clerk.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert elsewhere.status_code == 302
    # A client cannot pick another address by writing X-Forwarded-For itself.
    spoofed = Client().post(
        "/staff/login/",
        {"username": clerk.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.7",
    )
    assert spoofed.status_code == 429


def test_a_success_clears_the_count(clerk):
    client = Client()
    for _ in range(LIMIT - 1):
        _try(client, "/staff/login/", clerk.username, "wrong-password-x")
    assert _try(client, "/staff/login/", clerk.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert _try(client, "/staff/login/", clerk.username, "wrong-password-x").status_code == 200


def test_a_mothers_address_counts_as_one_whatever_its_case(mother):
    client = Client()
    for typed in ["Hanako.Soja@example.jp", "HANAKO.SOJA@EXAMPLE.JP", " hanako.soja@example.jp "]:
        _try(client, "/my/login/", typed, "wrong-password-x")
    _try(client, "/my/login/", "hanako.soja@Example.JP", "wrong-password-x")
    assert _try(client, "/my/login/", "hanako.soja@example.jp", "x-wrong-again").status_code == 429


def test_the_api_token_is_locked_out_in_the_api_error_format(mother):
    client = APIClient(REMOTE_ADDR="10.0.0.1")
    body = {"username": mother.username, "password": "wrong-password-x"}
    for _ in range(LIMIT - 1):
        assert client.post("/api/auth/token/", body).status_code == 400
    locked = client.post("/api/auth/token/", body)
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "locked_out"
    assert "15分間" in locked.json()["errors"][0]["message"]
    right = client.post("/api/auth/token/", {"username": mother.username, "password": PASSWORD})
    assert right.status_code == 429


def test_the_portal_and_the_api_share_one_count(mother):
    """Guessing cannot be spread over two doors to get twice the tries."""
    client = Client()
    for _ in range(3):
        _try(client, "/my/login/", mother.username, "wrong-password-x")
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    body = {"username": mother.username, "password": "wrong-password-x"}
    assert api.post("/api/auth/token/", body).status_code == 400
    assert api.post("/api/auth/token/", body).status_code == 429
