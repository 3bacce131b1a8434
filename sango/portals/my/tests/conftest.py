"""Fixtures for マイページ's tests: the seed programmes loaded, mothers with accounts, and
phone-sized (390×844) browser pages signed in as them, with the page-weight check every
mother's page must pass (≤ 60 KB before images)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sango.accounts.models import User
from sango.core.tests import factories as f
from sango.mothers.models import Mother
from sango.notifications.tests.fixtures import run_tasks  # noqa: F401

PAGE_BUDGET = 60 * 1024  # bytes per page before images (issue 8)


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def new_mother() -> Callable[..., Mother]:
    """``new_mother(code=…, born=…)``: a mother with a マイページ account and a baby born on
    ``born`` (default: 30 days ago) in the municipality ``code`` (default 総社市)."""

    def make(*, code: str = f.SOJA, born=None, twins: bool = False) -> Mother:
        user = f.mother_user()
        return f.mother_with_baby(code=code, born=born or f.days_ago(30), twins=twins, user=user)

    return make


def page_weight(page) -> int:
    """Bytes the page as loaded took (document, styles, scripts, fetches), images left out;
    counted as if nothing came from the browser's cache."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .filter(e => e.initiatorType !== 'img' && e.initiatorType !== 'image')
              .reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)"""
    )


@pytest.fixture
def assert_light(assert_accessible) -> Callable[[object], None]:
    """``assert_light(page)``: the page is within the budget and axe-core finds nothing."""

    def check(page) -> None:
        page.wait_for_load_state("load")
        weight = page_weight(page)
        assert 0 < weight <= PAGE_BUDGET, f"{page.url}: {weight} bytes (budget {PAGE_BUDGET})"
        assert_accessible(page)

    return check


@pytest.fixture
def my_page(page, live_server) -> Callable[[User], object]:
    """``my_page(user)``: the browser page at phone size (390×844), signed in as ``user``
    through the マイページ login as she would (every test user's password: pw-for-tests)."""
    from sango.conftest import PHONE

    def login(user: User):
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/my/login/")
        page.get_by_label("メールアドレス").fill(user.username)
        page.get_by_label("パスワード").fill("pw-for-tests")
        page.locator("main").get_by_role("button", name="ログイン").click()
        page.wait_for_url(f"{live_server.url}/my/")
        page.live_url = live_server.url
        return page

    return login


@pytest.fixture
def phone_page(page, live_server):
    """The browser page at phone size, signed in as nobody (the public pages of /my/)."""
    from sango.conftest import PHONE

    page.set_viewport_size(PHONE)
    page.live_url = live_server.url
    return page
