"""Settings read from the environment; production refuses to start without a secret key."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from sango.config.env import env_bool, env_int, env_list, env_required

PROD = "sango.config.settings.prod"


@pytest.fixture
def fresh_prod_import(monkeypatch):
    """Import the prod settings module anew under the current (monkeypatched) environment."""
    monkeypatch.delitem(sys.modules, PROD, raising=False)
    yield lambda: importlib.import_module(PROD)
    sys.modules.pop(PROD, None)


def test_prod_requires_secret_key(monkeypatch, fresh_prod_import):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        fresh_prod_import()


def test_prod_is_secure_when_configured(monkeypatch, fresh_prod_import):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")

    prod = fresh_prod_import()

    assert prod.DEBUG is False
    assert prod.SECRET_KEY == "a-real-secret-from-the-environment"
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS > 0
    assert prod.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("True", True), ("off", False)])
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("SANGO_TEST_FLAG", raw)
    assert env_bool("SANGO_TEST_FLAG", default=not expected) is expected


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("SANGO_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SANGO_TEST_FLAG"):
        env_bool("SANGO_TEST_FLAG", default=False)


def test_env_int_list_and_required(monkeypatch):
    monkeypatch.setenv("SANGO_TEST_INT", "60")
    monkeypatch.setenv("SANGO_TEST_LIST", " a.example.jp, ,b.example.jp ")
    monkeypatch.delenv("SANGO_TEST_MISSING", raising=False)

    assert env_int("SANGO_TEST_INT", default=0) == 60
    assert env_list("SANGO_TEST_LIST", default=[]) == ["a.example.jp", "b.example.jp"]
    assert env_list("SANGO_TEST_MISSING", default=["x"]) == ["x"]
    with pytest.raises(ImproperlyConfigured, match=r"SANGO_TEST_MISSING must be set\. Hint"):
        env_required("SANGO_TEST_MISSING", "Hint")
