"""Building the demo and describing it: the entry points ``sango demo_setup`` calls.

``demo_build`` loads the programmes, creates the logins and walks every case through the real
services, relative to ``today``; ``demo_summary`` counts what is there, without personal data.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction

from sango.accounts.models import User
from sango.applications.models import Application
from sango.billing.models import FacilityClaim
from sango.bookings.models import Booking
from sango.core.errors import ServiceError
from sango.demo import kumamoto, places, soja, yurikago
from sango.demo.accounts import DEMO_USERNAMES, accounts_create
from sango.demo.context import Demo
from sango.municipalities.models import Municipality
from sango.municipalities.services import programmes_sync
from sango.programs.registry import get_registry
from sango.reimbursements.models import Reimbursement
from sango.usage.models import Use
from sango.vouchers.models import Voucher

MUNICIPALITIES = (soja.SOJA, kumamoto.KUMAMOTO, yurikago.YURIKAGO)


class DemoError(Exception):
    pass


def demo_present() -> bool:
    """Whether the demo was built in this database. Raises ``DemoError`` when only some of
    its logins exist: then the database holds something else, which the demo must not touch."""
    found = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if found and found != set(DEMO_USERNAMES):
        raise DemoError(
            f"Some demo logins exist ({', '.join(sorted(found))}) but not all: this database "
            "holds other data. Use an empty database for the demo."
        )
    return bool(found)


@transaction.atomic
def demo_build(*, today: date) -> list[str]:
    """Everything, in one transaction: a failure leaves the database as it was.
    Returns one line per programme loaded."""
    registry = get_registry()
    missing = [code for code in MUNICIPALITIES if registry.get(code) is None]
    if missing:
        raise DemoError(f"The demo needs the programmes {', '.join(missing)} (SANGO_PROGRAM_DIRS).")
    loaded = [
        f"{s.municipality}: {s.facilities} facilities, {s.offices} offices"
        for s in programmes_sync(registry=registry)
    ]
    demo = Demo(today=today, users=accounts_create())
    try:
        soja.build(demo)
        kumamoto.build(demo)
        places.build(demo)
        yurikago.build(demo)
    except ServiceError as error:
        # A service refused a step of the scenario: say which, in the service's own words.
        reasons = [r.get("message", "") for r in getattr(error, "reasons", [])]
        detail = " / ".join([error.message, *reasons])
        raise DemoError(f"A service refused a demo step: {detail}") from error
    return loaded


def demo_summary() -> list[str]:
    """Counts per municipality: applications by state, vouchers, bookings, uses, claims."""
    lines = []
    for code in MUNICIPALITIES:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        lines.append(f"{municipality.name} ({code})")
        lines.extend(f"  {line}" for line in _counts(municipality))
    return lines


def _tally(rows) -> str:
    counts = Counter(rows)
    return ", ".join(f"{key} {n}" for key, n in sorted(counts.items())) or "none"


def _counts(municipality: Municipality) -> list[str]:
    states = Counter(
        Application.objects.filter(municipality=municipality).values_list("status", flat=True)
    )
    uses = Use.objects.filter(municipality=municipality)
    claims = FacilityClaim.objects.filter(municipality=municipality).select_related("facility")
    vouchers = Voucher.objects.filter(municipality=municipality)
    return [
        "applications: " + ", ".join(f"{s} {states[s]}" for s in Application.Status.values),
        "vouchers: " + _tally(f"{v.kind}/{v.status}" for v in vouchers),
        "bookings: "
        + _tally(
            Booking.objects.filter(municipality=municipality).values_list("status", flat=True)
        ),
        f"uses: {uses.filter(status=Use.Status.RECORDED).count()} recorded, "
        f"{uses.filter(status=Use.Status.VOID).count()} void, at "
        f"{uses.exclude(facility=None).values('facility').distinct().count()} facilities",
        "reimbursements: "
        + _tally(
            Reimbursement.objects.filter(voucher__municipality=municipality).values_list(
                "status", flat=True
            )
        ),
        "claims: "
        + (", ".join(f"{c.facility.name} {c.month:%Y-%m} {c.status}" for c in claims) or "none"),
    ]
