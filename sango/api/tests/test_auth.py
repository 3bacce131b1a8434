"""Authentication: tokens from /api/auth/token/, token and session authentication, and the
answers without them."""

from knox.models import AuthToken
from rest_framework.test import APIClient

from sango.api.tests.helpers import assert_forbidden, errors_of, fields_of

TOKEN = "/api/auth/token/"


def test_a_token_for_username_and_password(mother_user) -> None:
    """Each login gives a new token, kept only as a hash, with its expiry."""
    client = APIClient()
    response = client.post(TOKEN, {"username": mother_user.username, "password": "pw-for-tests"})
    assert response.status_code == 200
    key = response.json()["token"]
    assert response.json()["expiry"]
    stored = AuthToken.objects.get(user=mother_user)
    assert key not in (stored.digest, stored.token_key)
    again = client.post(TOKEN, {"username": mother_user.username, "password": "pw-for-tests"})
    assert again.json()["token"] != key
    assert AuthToken.objects.filter(user=mother_user).count() == 2


def test_token_authentication_works(mother_user) -> None:
    key = (
        APIClient()
        .post(TOKEN, {"username": mother_user.username, "password": "pw-for-tests"})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/mothers/")
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [mother_user.mother.pk]


def test_a_wrong_password_or_missing_fields(mother_user) -> None:
    client = APIClient()
    wrong = client.post(TOKEN, {"username": mother_user.username, "password": "nope"})
    assert fields_of(wrong) == {None: "authorization"}
    assert fields_of(client.post(TOKEN, {})) == {"username": "required", "password": "required"}


def test_no_or_a_bad_token_is_401() -> None:
    client = APIClient()
    response = client.get("/api/mothers/")
    assert [e["code"] for e in errors_of(response, 401)] == ["not_authenticated"]
    assert response["WWW-Authenticate"] == "Token"
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert [e["code"] for e in errors_of(client.get("/api/mothers/"), 401)] == [
        "authentication_failed"
    ]


def test_session_authentication_with_csrf(clerk) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.get("/api/mothers/").status_code == 200
    assert_forbidden(client.post("/api/mothers/", {}, format="json"), code="csrf_failed")
