"""Fixtures for the security layers' tests: the seed programmes and one account per role."""

from __future__ import annotations

import pytest

from sango.accounts.models import User
from sango.core.tests import factories as f
from sango.usage.services import use_record

PASSWORD = "pw-for-tests"  # every factory account's


@pytest.fixture(autouse=True)
def _programmes(db) -> None:
    f.load_programmes()


@pytest.fixture
def clerk() -> User:
    return f.clerk()


@pytest.fixture
def kaneko() -> User:
    return f.facility_staff("kaneko-josanin")


@pytest.fixture
def mother() -> User:
    user = f.mother_user()
    user.username = user.email = "hanako.soja@example.jp"
    user.save()
    f.mother_with_baby(born=f.days_ago(10), user=user)
    return user


@pytest.fixture
def admin() -> User:
    user = f.admin()
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def world(db):
    """One object of each kind in 総社市 with its owners, and their counterparts elsewhere."""
    from sango.applications.changes import change_request_submit

    f.load_programmes()
    clerk, boss = f.clerk(), f.approver()
    kaneko = f.facility_staff("kaneko-josanin")
    mother = f.mother_with_baby(born=f.days_ago(20), user=f.mother_user())
    approved = f.approved_application(
        mother=mother, grants={"stay": 3, "day": 3}, staff=clerk, boss=boss
    )
    voucher = f.voucher_for(approved)
    use = use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="matrix-1",
        service="day",
        day=f.days_ago(1),
        fee=12000,
    )
    objects = {
        "application": approved,
        "draft": f.application_in("draft", mother=mother),
        "booking": f.provisional_booking(mother=mother, application=approved),
        "change": change_request_submit(
            application=approved, actor=clerk, kind="cancel", reason="転出"
        ),
        "claim": f.facility_claim(slug="kaneko-josanin"),
        "mother": mother,
        "reimbursement": f.reimbursement(voucher=voucher, by=clerk),
        "use": use,
        "voucher": voucher,
    }
    people = {
        "clerk": clerk,
        "approver": boss,
        "facility": kaneko,
        "mother": mother.user,
    }
    others = {
        "clerk": f.clerk(f.KUMAMOTO),
        "approver": f.approver(f.KUMAMOTO),
        "facility": f.facility_staff("kunitomi-clinic"),
        "mother": f.mother_with_baby(born=f.days_ago(30), user=f.mother_user()).user,
    }
    return objects, people, others
