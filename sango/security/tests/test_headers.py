"""The headers every answer carries — Content-Security-Policy without inline script or style,
Permissions-Policy with every powerful feature off, and (as before) frame, referrer and
content-type protection — on a page of each door; HSTS and the second factor under the prod
settings; and no template served as a page contains what the policy would refuse."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.test import Client

import sango

PAGES = ["/staff/login/", "/facility/login/", "/my/login/", "/admin/login/", "/programmes/"]
# Templates that become PDFs (WeasyPrint), never a page in a browser: their CSS stays inline.
PDF_TEMPLATES = ("letters/templates/", "reports/templates/")
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle=[\"']", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=[\"']", re.I),
    "javascript: address": re.compile(r"href=[\"']javascript:", re.I),
}


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", PAGES)
def test_each_door_sends_the_policies(url, db):
    response = Client().get(url)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_answers_carry_them_too(db):
    response = Client().get("/api/programmes/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_prod_settings_turn_every_layer_on(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    for name in ("SANGO_TWO_FACTOR_REQUIRED", "SANGO_TRUSTED_PROXIES", "SECURE_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("sango.config.settings.prod", None)
    prod = importlib.import_module("sango.config.settings.prod")
    try:
        assert prod.SANGO_TWO_FACTOR_REQUIRED is True
        assert prod.SANGO_PRODUCTION is True
        assert prod.SANGO_TRUSTED_PROXIES == 1
        assert prod.SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
        assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
        assert prod.SESSION_COOKIE_AGE <= 7 * 24 * 60 * 60
        assert "axes.middleware.AxesMiddleware" in prod.MIDDLEWARE
        assert "csp.middleware.CSPMiddleware" in prod.MIDDLEWARE
        assert prod.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
        lengths = [v.get("OPTIONS", {}).get("min_length") for v in prod.AUTH_PASSWORD_VALIDATORS]
        assert 12 in lengths
    finally:
        sys.modules.pop("sango.config.settings.prod", None)


def test_no_template_holds_inline_script_or_style():
    root = Path(sango.__file__).parent
    found = []
    for template in sorted(root.glob("**/templates/**/*.html")):
        relative = template.relative_to(root).as_posix()
        if any(part in relative for part in PDF_TEMPLATES):
            continue
        text = template.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {what}")
    assert not found, "\n".join(found)
