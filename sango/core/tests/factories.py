"""Factories for tests across apps: the seed programmes in the database, people with roles, and
cases walked to a given step through the real services (never by setting fields directly)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import factory
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from sango.accounts.models import User
from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import Application, TierBasis
from sango.applications.services import (
    application_approve,
    application_create,
    application_record_interview,
    application_reject,
    application_submit,
    application_verify_tier,
    applications_expire,
)
from sango.billing.models import FacilityClaim
from sango.bookings.models import Booking
from sango.bookings.services import booking_create
from sango.facilities.models import Facility
from sango.mothers.models import Infant, Mother
from sango.municipalities.models import Municipality
from sango.municipalities.services import programmes_sync
from sango.programs.registry import get_registry
from sango.reimbursements.models import Reimbursement
from sango.rules.program import sample_program_dir
from sango.vouchers.models import Voucher

SOJA, KUMAMOTO = "332089", "431001"
# ゆりかご市, an invented programme of the rules-core tests: online and proxy channels, a
# decision target in business days, and a pooled cap extended per additional infant.
YURIKAGO = "229016"
_TEST_PROGRAMME_DIR = Path(__file__).resolve().parents[2] / "rules" / "tests" / "programs"


def load_programmes() -> None:
    programmes_sync(registry=get_registry())


def municipality(code: str = SOJA) -> Municipality:
    return Municipality.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")
    role = User.Role.MOTHER


def clerk(code: str = SOJA, **extra) -> User:
    return UserFactory(role=User.Role.CLERK, municipality=municipality(code), **extra)


def approver(code: str = SOJA, **extra) -> User:
    return UserFactory(role=User.Role.APPROVER, municipality=municipality(code), **extra)


def facility_staff(slug: str) -> User:
    return UserFactory(role=User.Role.FACILITY, facility=Facility.objects.get(slug=slug))


class MotherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mother

    municipality = factory.LazyFunction(municipality)
    name = factory.Sequence(lambda n: f"試験 花子{n}")
    name_kana = factory.Sequence(lambda n: f"シケン ハナコ{n}")
    birth_date = date(1994, 5, 20)
    postal_code = "719-1131"
    address = "岡山県総社市中央1-1-1"
    phone = "090-0000-0000"


def mother_with_baby(
    *, code: str = SOJA, born: date, twins: bool = False, user: User | None = None
) -> Mother:
    mother = MotherFactory(municipality=municipality(code), user=user)
    for _ in range(2 if twins else 1):
        Infant.objects.create(mother=mother, birth_date=born)
    return mother


def facility(slug: str) -> Facility:
    return Facility.objects.get(slug=slug)


def admin() -> User:
    return UserFactory(role=User.Role.ADMIN)


def mother_user() -> User:
    return UserFactory(role=User.Role.MOTHER)


def need_for(code: str) -> str:
    """A need condition the programme of ``code`` recognises."""
    return "support_needed" if code == SOJA else "physical_recovery"


def submitted_application(
    *,
    mother: Mother,
    staff: User | None = None,
    channel: str = "in_person",
    submitted_at: datetime | None = None,
    **create,
) -> Application:
    """An application created and submitted in person (at ``submitted_at``, default now)."""
    staff = staff or clerk(mother.municipality.code)
    application = application_create(actor=staff, mother=mother, **create)
    return application_submit(
        application=application, actor=staff, channel=channel, submitted_at=submitted_at
    )


def interviewed_application(
    *,
    mother: Mother,
    tier: str = "taxable",
    basis: str = TierBasis.LEDGER,
    staff: User | None = None,
    submitted_at: datetime | None = None,
    needs: list[str] | None = None,
    exclusions: list[str] | None = None,
) -> Application:
    """Submitted, tier verified and interviewed: ready for a decision."""
    code = mother.municipality.code
    staff = staff or clerk(code)
    application = submitted_application(mother=mother, staff=staff, submitted_at=submitted_at)
    application_verify_tier(application=application, actor=staff, tier=tier, basis=basis)
    application_record_interview(
        application=application,
        actor=staff,
        conducted_at=submitted_at or timezone.now(),
        method="phone",
        needs_found=[need_for(code)] if needs is None else needs,
        exclusions_found=exclusions,
    )
    return Application.objects.get(pk=application.pk)


def approved_application(
    *,
    mother: Mother,
    grants: dict[str, int],
    tier: str = "taxable",
    staff: User | None = None,
    boss: User | None = None,
    valid_from: date | None = None,
    submitted_at: datetime | None = None,
) -> Application:
    """An application taken through submit → tier → interview → approval."""
    code = mother.municipality.code
    application = interviewed_application(
        mother=mother, tier=tier, staff=staff, submitted_at=submitted_at
    )
    application_approve(
        application=application,
        actor=boss or approver(code),
        grants=grants,
        valid_from=valid_from or mother.delivery_date,
    )
    return Application.objects.get(pk=application.pk)


def rejected_application(*, mother: Mother, boss: User | None = None) -> Application:
    application = interviewed_application(mother=mother)
    application_reject(
        application=application,
        actor=boss or approver(mother.municipality.code),
        reason="聞き取りの結果、医療機関での対応が適当",
    )
    return Application.objects.get(pk=application.pk)


def application_in(status: str, *, mother: Mother | None = None) -> Application:
    """A 総社市 application walked through the real services to ``status``."""
    Status = Application.Status
    if status == Status.EXPIRED:
        # Born 400 days ago: the 1年以内 window ended 35 days ago.
        mother = mother or mother_with_baby(born=days_ago(400))
    mother = mother or mother_with_baby(born=days_ago(30))
    if status == Status.DRAFT:
        return application_create(actor=clerk(mother.municipality.code), mother=mother)
    if status == Status.SUBMITTED:
        return submitted_application(mother=mother)
    if status == Status.INTERVIEWED:
        return interviewed_application(mother=mother)
    if status == Status.REJECTED:
        return rejected_application(mother=mother)
    application = approved_application(mother=mother, grants={"stay": 3})
    if status == Status.CANCELLED:
        code = mother.municipality.code
        change = change_request_submit(
            application=application, actor=clerk(code), kind="cancel", reason="転出のため"
        )
        change_request_decide(change=change, actor=approver(code), approve=True)
    elif status == Status.EXPIRED:
        applications_expire(today=timezone.localdate())
    application.refresh_from_db()
    assert application.status == status
    return application


def provisional_booking(
    *,
    mother: Mother,
    slug: str = "kaneko-josanin",
    service: str = "stay",
    application: Application | None = None,
    start: date | None = None,
    nights: int = 1,
) -> Booking:
    """仮予約 made by the facility's staff, from ``start`` (default in a week)."""
    staff = facility_staff(slug)
    start = start or timezone.localdate() + timedelta(days=7)
    return booking_create(
        facility=staff.facility,
        mother=mother,
        actor=staff,
        service=service,
        start_date=start,
        end_date=start + timedelta(days=nights),
        application=application,
    )


def voucher_for(application: Application) -> Voucher:
    return Voucher.objects.get(application=application)


def facility_claim(*, slug: str, code: str = SOJA, month: date | None = None) -> FacilityClaim:
    """A draft 委託料請求 of ``slug`` to the city of ``code`` (no service writes claims yet)."""
    month = month or timezone.localdate().replace(day=1)
    return FacilityClaim.objects.create(
        facility=facility(slug), municipality=municipality(code), month=month
    )


def reimbursement(*, voucher: Voucher, by: User, amount_paid: int = 35000) -> Reimbursement:
    """A 償還払い claim as received (no service writes these yet)."""
    return Reimbursement.objects.create(
        voucher=voucher,
        facility_name="東京ベビーケアハウス",
        facility_address="東京都世田谷区",
        service="stay",
        day=voucher.valid_from,
        quantity=1,
        amount_paid=amount_paid,
        submitted_by=by,
        submitted_at=timezone.now(),
    )


@contextmanager
def frozen_now(moment: datetime) -> Iterator[None]:
    """Services read the clock only through ``django.utils.timezone.now`` (decision dates,
    fiscal years, the rules in force at approval); pin it to ``moment`` with the standard
    library's mock, so a case can be placed in 2024 without another dependency."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@contextmanager
def with_test_programmes() -> Iterator[None]:
    """The shipped programmes plus the invented ones of the rules-core tests (ゆりかご市 ...),
    loaded into the registry and the database; the registry is restored afterwards."""
    dirs = [*settings.SANGO_PROGRAM_DIRS, sample_program_dir(), _TEST_PROGRAMME_DIR]
    with override_settings(SANGO_PROGRAM_DIRS=dirs):
        get_registry.cache_clear()
        try:
            load_programmes()
            yield
        finally:
            get_registry.cache_clear()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime in Japan time."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
