"""What every part of the demo shares: the day it is built, the logins, the demo's calendar
and the idempotency keys of the uses it records."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from sango.accounts.models import User
from sango.demo.people import Person, mother_create
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality, Office
from sango.usage.models import Use
from sango.usage.services import use_record
from sango.vouchers.models import Voucher


def first_of_last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass
class Demo:
    today: date
    users: dict[str, User]
    _keys: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def month(self) -> date:
        """The first day of last month: the month the facilities' claims are for."""
        return first_of_last_month(self.today)

    def day(self, n: int) -> date:
        """The ``n``-th day of last month (``n`` up to 28, so it exists in every month)."""
        return self.month + timedelta(days=n - 1)

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def ahead(self, days: int) -> date:
        return self.today + timedelta(days=days)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware moment in Japan time on ``day``."""
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))

    def delivery(self, person: Person) -> date:
        return self.month - timedelta(days=person.born_before)

    def mother(self, person: Person, code: str, user: User | None = None) -> Mother:
        return mother_create(
            person=person,
            municipality=Municipality.objects.get(code=code),
            delivery=self.delivery(person),
            user=user,
        )

    def use(self, voucher: Voucher, slug: str | None, actor: Any, **fields: Any) -> Use:
        """One use recorded through the real service, with the next ``demo-<n>`` key."""
        facility = Facility.objects.get(slug=slug) if slug else None
        return use_record(
            voucher_id=voucher.pk,
            facility=facility,
            actor=actor,
            idempotency_key=f"demo-{next(self._keys)}",
            **fields,
        )


def office(code: str, office_code: str) -> Office:
    return Office.objects.get(municipality__code=code, code=office_code)


def facility(slug: str) -> Facility:
    return Facility.objects.get(slug=slug)
