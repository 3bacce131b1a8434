"""Fixtures for the staff office's tests: the seed programmes loaded, 総社市 and 熊本市 staff
(clerks posted to an office, an approver), and clients or browser pages signed in as them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sango.accounts.models import User
from sango.core.tests import factories as f
from sango.municipalities.models import Office


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


def _office(code: str, office: str) -> Office:
    return Office.objects.get(municipality__code=code, code=office)


@pytest.fixture
def clerk() -> User:
    """A 総社市 こども課 clerk."""
    return f.clerk(office=_office(f.SOJA, "kodomo"), first_name="事務", last_name="総社")


@pytest.fixture
def boss() -> User:
    """A 総社市 approver (係長)."""
    return f.approver(office=_office(f.SOJA, "kodomo"))


@pytest.fixture
def ward_clerk() -> User:
    """A 熊本市 中央区 clerk."""
    return f.clerk(f.KUMAMOTO, office=_office(f.KUMAMOTO, "chuo"))


@pytest.fixture
def staff_page(page, live_server) -> Callable[[User], object]:
    """``staff_page(user)``: the browser page at office size (1366×768), signed in as ``user``
    through the staff login form as a person would (every test user's password: pw-for-tests)."""
    from sango.conftest import OFFICE

    def login(user: User):
        page.set_viewport_size(OFFICE)
        page.goto(f"{live_server.url}/staff/login/")
        page.get_by_label("ユーザー名").fill(user.username)
        page.get_by_label("パスワード").fill("pw-for-tests")
        page.locator("main").get_by_role("button", name="ログイン").click()
        page.wait_for_url(f"{live_server.url}/staff/")
        page.live_url = live_server.url
        return page

    return login
