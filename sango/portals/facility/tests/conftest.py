"""Fixtures for the facility portal's tests: the seed programmes loaded, facility staff, and
clients or tablet-sized browser pages signed in as them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sango.accounts.models import User
from sango.core.tests import factories as f


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def kaneko() -> User:
    """Reception at かねこ助産院 (総社市's contract: stays, days and visits)."""
    return f.facility_staff("kaneko-josanin")


@pytest.fixture
def kunitomi() -> User:
    """Another facility: くにとみクリニック."""
    return f.facility_staff("kunitomi-clinic")


@pytest.fixture
def facility_page(page, live_server) -> Callable[[User], object]:
    """``facility_page(user)``: the browser page at tablet size (768×1024), signed in as
    ``user`` through the facility login (every test user's password: pw-for-tests)."""
    from sango.conftest import TABLET

    def login(user: User):
        page.set_viewport_size(TABLET)
        page.goto(f"{live_server.url}/facility/login/")
        page.get_by_label("ユーザー名").fill(user.username)
        page.get_by_label("パスワード").fill("pw-for-tests")
        page.locator("main").get_by_role("button", name="ログイン").click()
        page.wait_for_url(f"{live_server.url}/facility/")
        page.live_url = live_server.url
        return page

    return login
