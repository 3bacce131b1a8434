"""Factories for tests across apps: the seed programmes in the database, people with roles, and
cases walked to a given step through the real services (never by setting fields directly)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from sango.accounts.models import User
from sango.applications.models import Application, TierBasis
from sango.applications.services import (
    application_approve,
    application_create,
    application_record_interview,
    application_submit,
    application_verify_tier,
)
from sango.facilities.models import Facility
from sango.mothers.models import Infant, Mother
from sango.municipalities.models import Municipality
from sango.municipalities.services import programmes_sync
from sango.programs.registry import get_registry
from sango.vouchers.models import Voucher

SOJA, KUMAMOTO = "332089", "431001"


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


def approved_application(
    *,
    mother: Mother,
    grants: dict[str, int],
    tier: str = "taxable",
    staff: User | None = None,
    boss: User | None = None,
    valid_from: date | None = None,
) -> Application:
    """An application taken through submit → tier → interview → approval."""
    code = mother.municipality.code
    staff = staff or clerk(code)
    boss = boss or approver(code)
    application = application_create(actor=staff, mother=mother)
    application_submit(application=application, actor=staff, channel="in_person")
    application_verify_tier(application=application, actor=staff, tier=tier,
                            basis=TierBasis.LEDGER)  # fmt: skip
    needs = ["support_needed"] if code == SOJA else ["physical_recovery"]
    application_record_interview(application=application, actor=staff,
                                 conducted_at=timezone.now(), method="phone",
                                 needs_found=needs)  # fmt: skip
    application_approve(application=application, actor=boss, grants=grants,
                        valid_from=valid_from or mother.delivery_date)  # fmt: skip
    return Application.objects.get(pk=application.pk)


def voucher_for(application: Application) -> Voucher:
    return Voucher.objects.get(application=application)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime in Japan time."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
