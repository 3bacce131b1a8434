"""Fixtures shared by every app's tests: a real Chromium for the browser tests.

The browser tests (marked ``browser``) drive Debian's Chromium at /usr/bin/chromium through
Playwright's sync API; ``make browser`` installs it. Playwright's own browser downloads are never
used. The browser starts once per test session and only when a test asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (a ``playwright.sync_api.Browser``)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (make test does it for you).")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page in its own context (no cookies carried over), Japanese by default."""
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
OFFICE = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.1 A/AA and best practices)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser` (make test does it for you).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern (an injected inline <script> would be refused, as it should be).
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return result


@pytest.fixture
def client_for():
    """``client_for(user)``: a Django test client signed in as ``user`` (anonymous for None)."""
    from django.test import Client

    def make(user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: fails listing every axe-core violation on the page."""

    def check(page) -> None:
        violations = axe_violations(page)
        assert violations == [], f"axe-core on {page.url}: {violations}"

    return check


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` writes var/screenshots/name.png (full page) to look at."""
    from django.conf import settings

    def take(page, name: str) -> Path:
        folder = settings.VAR_DIR / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
