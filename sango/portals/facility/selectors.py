"""What the facility portal reads: ``sango.accounts.access`` narrowed to the user's facility,
with the joins each page needs, so a page's queries do not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sango.accounts import access
from sango.billing.models import ClaimLine
from sango.bookings.models import Booking
from sango.core.errors import ServiceError
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.usage.models import Use

LIVE = (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED)


@dataclass
class Movement:
    """One arrival, departure, day session or visit on the facility's week."""

    day: date
    at: time | None
    kind: str  # "arrival", "departure", "session"
    booking: Booking
    service: str
    municipality: str


def week_bookings(user: Any, today: date) -> QuerySet[Booking]:
    """Live bookings at the user's facility that touch the week from ``today``."""
    end = today + timedelta(days=6)
    return (
        access.bookings_visible_to(user)
        .filter(status__in=LIVE, start_date__lte=end, end_date__gte=today)
        .select_related("mother", "municipality")
        .order_by("start_date", "pk")
    )


def _schedule(booking: Booking) -> tuple[str, time | None, time | None, str]:
    """(service name, check-in, check-out, unit) under the booking's programme version."""
    try:
        rules = rules_on(booking.municipality.code, booking.start_date)
    except ServiceError:
        return booking.service, None, None, ""
    service = rules.services.get(booking.service) or rules.services.get(
        rules.parent_code(booking.service) or ""
    )
    schedule = service.schedule if service else None
    name = service_name(rules, booking.service)
    unit = service.unit if service else ""
    if schedule is None:
        return name, None, None, unit
    return name, schedule.check_in, schedule.check_out, unit


def week(user: Any, today: date) -> dict[str, list]:
    """This week's movements, and who is staying tonight."""
    week_end = today + timedelta(days=6)
    movements: list[Movement] = []
    tonight: list[Movement] = []
    for booking in week_bookings(user, today):
        name, check_in, check_out, unit = _schedule(booking)
        city = booking.municipality.name
        if unit == "night":
            if today <= booking.start_date <= week_end:
                movements.append(
                    Movement(booking.start_date, check_in, "arrival", booking, name, city)
                )
            if today <= booking.end_date <= week_end:
                movements.append(
                    Movement(booking.end_date, check_out, "departure", booking, name, city)
                )
            if booking.start_date <= today < booking.end_date:
                tonight.append(Movement(today, None, "stay", booking, name, city))
        else:
            day = max(booking.start_date, today)
            while day <= min(booking.end_date, week_end):
                movements.append(Movement(day, check_in, "session", booking, name, city))
                day += timedelta(days=1)
    movements.sort(key=lambda m: (m.day, m.at or time(0), m.booking.pk))
    return {"movements": movements, "tonight": tonight}


def returned_lines(user: Any) -> QuerySet[ClaimLine]:
    """Claim lines the municipality returned, to fix before the claim is sent again."""
    claims = access.claims_visible_to(user)
    return (
        ClaimLine.objects.filter(claim__in=claims, status=ClaimLine.Status.REJECTED)
        .filter(Q(claim__status="returned") | Q(claim__status="approved"))
        .select_related("claim__municipality", "use__voucher__mother")
        .order_by("use__day", "pk")
    )


def today() -> date:
    return timezone.localdate()


def uses_in_month(user: Any, month: date) -> QuerySet[Use]:
    """The facility's uses with a day in the month that starts on ``month`` (voided ones too),
    with the voucher's mother and the municipality, in day order."""
    following = (month + timedelta(days=32)).replace(day=1)
    return (
        access.uses_visible_to(user)
        .filter(day__gte=month, day__lt=following)
        .select_related("voucher__mother", "municipality")
        .order_by("day", "pk")
    )


def use_for(user: Any, pk: int) -> Use:
    """One use of the user's facility (another facility's is a 404), with what its page and
    its receipt show: the mother, the municipality, the facility, the claim line, and the uses
    it corrects or that correct it."""
    uses = access.uses_visible_to(user).select_related(
        "voucher__mother",
        "municipality",
        "facility",
        "corrects",
        "corrected_by",
        "claim_line__claim",
    )
    return get_object_or_404(uses, pk=pk)
