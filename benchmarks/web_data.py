"""The data of the load benchmark (``bench_web.py``): a fresh PostgreSQL database under the
benchmark settings, 総社市 vouchers approved through the services, the accounts that call the
hot paths (API tokens and portal sessions) and the uses a clerk's list pages through.

Runs in the benchmark's own process, before gunicorn starts; everything it writes is in the
database, where the workers find it (sessions included).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SETTINGS = "sango.config.settings.bench"
SERVICES = ("stay", "day", "visit")
# 総社市 grants up to 7 of each (the current leaflet); a voucher takes 21 uses on 21 days.
PER_SERVICE = 7
FEES = {"stay": 30000, "day": 10000, "visit": 6000}  # yen per unit, as a facility might charge
BORN_DAYS_AGO = 40  # the vouchers are valid from the birth: 21 past days of uses fit
FACILITY = "kaneko-josanin"  # contracted with 総社市


@dataclass(frozen=True)
class Presented:
    """A voucher as a facility is shown it: its number and the mother's birth date."""

    number: str
    birth_date: str


@dataclass
class Fixture:
    """What the load generator needs to call each hot path as a real user would."""

    today: date
    facility_token: str
    clerk_token: str
    facility_session: str
    clerk_session: str
    mother_session: str
    case_pk: int
    mother_voucher_pk: int  # the voucher of the mother signed in, with uses recorded on it
    verified: Presented
    capped: Presented  # its stay cap is used up: recording a night is refused (422)
    pool: list[Presented] = field(default_factory=list)  # vouchers with every cap unused


def database_fresh(url: str) -> None:
    """Drop and create the database named at the end of ``url``."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str, var_dir: Path) -> dict[str, str]:
    """Configure Django with the benchmark settings on ``url``, migrate and collect the static
    files (the production storage needs their manifest). Returns the environment gunicorn's
    workers need to see the same site."""
    environment = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SANGO_VAR_DIR": str(var_dir),
    }
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    return environment


def provision(*, vouchers: int, list_uses: int) -> Fixture:
    """Programmes, people, ``vouchers`` fresh 総社市 vouchers and ``list_uses`` uses recorded
    through the services (on further vouchers) for the clerk's list."""
    from django.test import Client
    from django.utils import timezone
    from knox.models import AuthToken

    from sango.core.tests import factories as f
    from sango.portals.facility.views.vouchers import CHECKED

    f.load_programmes()
    clerk = f.clerk(username="bench-clerk")
    boss = f.approver(username="bench-approver")
    staff = f.facility_staff(FACILITY)
    today = timezone.localdate()

    def approved():
        mother = f.mother_with_baby(born=f.days_ago(BORN_DAYS_AGO))
        grants = dict.fromkeys(SERVICES, PER_SERVICE)
        return f.approved_application(mother=mother, grants=grants, staff=clerk, boss=boss)

    pool = [f.voucher_for(approved()) for _ in range(vouchers)]
    used = [f.voucher_for(approved()) for _ in range(-(-list_uses // (PER_SERVICE * 3)))]
    _uses_record(used, staff=staff, count=list_uses, today=today)
    holder = f.mother_user()
    used[0].mother.user = holder
    used[0].mother.save(update_fields=["user"])
    facility_session = _session_of(Client(), staff)
    # The facility's use form and its preview refer to the voucher checked in the session.
    _session_note(facility_session, {CHECKED: {"id": pool[0].pk, "at": time.time()}})
    return Fixture(
        today=today,
        facility_token=AuthToken.objects.create(staff)[1],
        clerk_token=AuthToken.objects.create(clerk)[1],
        facility_session=facility_session,
        clerk_session=_session_of(Client(), clerk),
        mother_session=_session_of(Client(), holder),
        case_pk=used[0].application_id,
        mother_voucher_pk=used[0].pk,
        verified=_presented(pool[0]),
        capped=_presented(used[0]),
        pool=[_presented(v) for v in pool],
    )


def use_days(today: date) -> list[tuple[str, date]]:
    """The 21 (service, day) pairs one voucher takes: each service on 7 distinct past days."""
    return [
        (service, today - timedelta(days=1 + s * PER_SERVICE + k))
        for s, service in enumerate(SERVICES)
        for k in range(PER_SERVICE)
    ]


def _presented(voucher) -> Presented:
    return Presented(voucher.number, voucher.mother.birth_date.isoformat())


def _session_of(client, user) -> str:
    """A session in the database, logged in as ``user``, as the login page would leave it:
    for staff and facility accounts, which the production settings hold to a second factor,
    with a confirmed TOTP device verified in the session (as django-otp's login leaves it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sango.security import two_factor

    client.force_login(user)
    key = client.cookies["sessionid"].value
    if two_factor.required_for(user):
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        _session_note(key, {DEVICE_ID_SESSION_KEY: device.persistent_id, two_factor.ENROLLED: True})
    return key


def _session_note(key: str, values: dict) -> None:
    """Add ``values`` to the stored session ``key``."""
    from importlib import import_module

    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session.update(values)
    session.save()


def _uses_record(vouchers: list, *, staff, count: int, today: date) -> None:
    """``count`` uses through ``use_record``, stays first, so that the first voucher's stay
    cap is used up."""
    from sango.usage.services import use_record

    pairs = [(v, s, d) for v in vouchers for s, d in use_days(today)][:count]
    for n, (voucher, service, day) in enumerate(pairs):
        use_record(
            voucher_id=voucher.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=f"bench-list-{n}",
            service=service,
            day=day,
            quantity=1,
            fee=FEES[service],
        )


def uses_fill(upto: int) -> int:
    """Bulk-insert copies of the recorded 総社市 uses until there are ``upto``; returns the
    count. The copies are for reading only: they are not judged and no cap counts them."""
    from sango.usage.models import Use

    uses = Use.objects.filter(municipality__code="332089")
    names = [f.attname for f in Use._meta.concrete_fields if f.attname != "id"]
    models = list(uses.order_by("pk").values(*names)[:500])
    batch = []
    for n in range(max(0, upto - uses.count())):
        row = {**models[n % len(models)], "idempotency_key": f"bench-fill-{n}", "corrects_id": None}
        # Spread the copies over the past year, as a city's uses are.
        row["day"] -= timedelta(days=(n // len(models)) % 300)
        batch.append(Use(**row))
    Use.objects.bulk_create(batch, batch_size=2000)
    analyze()
    return uses.count()


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
