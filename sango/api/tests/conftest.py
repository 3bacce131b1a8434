"""Fixtures for the API tests: the seed programmes loaded, people in every role in 総社市
(332089) and 熊本市 (431001), an approved case with its voucher, and clients signed in as each.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from sango.accounts.models import User
from sango.applications.models import Application
from sango.core.tests import factories as f
from sango.vouchers.models import Voucher


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()
    cache.clear()  # a list's estimated count (``pagination.beyond_exact``) is cached


@pytest.fixture
def api() -> Callable[[User | None], APIClient]:
    """``api(user)``: a client signed in as ``user``; ``api(None)``: an anonymous one."""

    def client_for(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def clerk() -> User:
    return f.clerk()


@pytest.fixture
def boss() -> User:
    return f.approver()


@pytest.fixture
def other_clerk() -> User:
    """Staff of another municipality (熊本市)."""
    return f.clerk(f.KUMAMOTO)


@pytest.fixture
def other_boss() -> User:
    return f.approver(f.KUMAMOTO)


@pytest.fixture
def kaneko() -> User:
    """Staff of かねこ助産院 (stay, day, visit for 総社市)."""
    return f.facility_staff("kaneko-josanin")


@pytest.fixture
def hanada() -> User:
    """Staff of another facility, 花田助産院."""
    return f.facility_staff("hanada-josanin")


@pytest.fixture
def admin() -> User:
    return f.UserFactory(role=User.Role.ADMIN)


@pytest.fixture
def mother_user() -> User:
    """A mother with an account, her baby born 30 days ago, in 総社市."""
    user = f.UserFactory(role=User.Role.MOTHER)
    f.mother_with_baby(born=f.days_ago(30), user=user)
    return user


@pytest.fixture
def other_mother_user() -> User:
    user = f.UserFactory(role=User.Role.MOTHER)
    f.mother_with_baby(born=f.days_ago(40), user=user)
    return user


@pytest.fixture
def case(mother_user: User, clerk: User, boss: User) -> Application:
    """The mother's approved application: 3 nights of stay and 2 days of day care."""
    return f.approved_application(
        mother=mother_user.mother, grants={"stay": 3, "day": 2}, staff=clerk, boss=boss
    )


@pytest.fixture
def voucher(case: Application) -> Voucher:
    return f.voucher_for(case)
