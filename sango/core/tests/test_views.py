"""Home page, language switching, health check and admin wiring."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from sango.core import views


@pytest.fixture
def english_catalog() -> Path:
    mo_path = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"
    if not mo_path.exists():
        pytest.fail(f"{mo_path} is missing: run `make messages` (make test does it for you).")
    return mo_path


def test_home_is_japanese_by_default(client):
    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="ja">' in content
    assert "産後ケア事業を、市町村・施設・お母さんでつなぐ" in content
    assert "市町村の担当者の方へ" in content
    assert 'value="ja" lang="ja" aria-current="true"' in content


def test_home_is_english_for_an_english_browser(client, english_catalog):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Connecting municipalities, facilities and mothers" in content
    assert "For municipal staff" in content
    assert "市町村の担当者の方へ" not in content


def test_home_follows_the_language_cookie(client, english_catalog):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="ja")

    assert "For mothers" in response.content.decode()


def test_language_switcher_sets_the_cookie_and_returns(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(views, "database_is_reachable", lambda: False)

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


@pytest.mark.django_db
def test_admin_requires_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_index_renders_for_a_superuser(admin_client):
    assert admin_client.get("/admin/").status_code == 200
