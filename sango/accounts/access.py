"""Who may see what. Every view and API endpoint starts from one of these querysets, so an id
that belongs to another municipality, facility or mother is simply not found (404), never shown.

- municipal staff (clerk, approver): everything of their own municipality; staff posted to an
  office (熊本市's ward offices) see that office's applications and usage cards, and those of no
  office in particular;
- facility staff: their facility's bookings, uses and claims, and the vouchers presented to
  them (a booking or a use at their facility);
- mothers: their own cases only;
- system administrators: everything.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from sango.accounts.models import User
from sango.applications.models import Application, ChangeRequest
from sango.audit.models import AuditEvent
from sango.billing.models import FacilityClaim
from sango.bookings.models import OCCUPYING, Booking, WaitlistEntry
from sango.mothers.models import Mother
from sango.reimbursements.models import Reimbursement
from sango.uploads.models import Upload
from sango.usage.models import Use
from sango.vouchers.models import Voucher

Role = User.Role


class Scope(NamedTuple):
    """What of a kind of object ``user`` may see: ``everything``, or the objects of one
    municipality, facility or mother's user (``of``, with its ``id``); ``None`` for nothing."""

    of: str  # "everything", "municipality", "facility" or "mother"
    id: Any = None


def scope(
    user: Any, *, municipality: bool, facility: bool = False, mother: bool = False
) -> Scope | None:
    """The one rule of who sees what, for objects that belong to a municipality, and may belong
    to a facility or a mother (each keyword: whether they do). ``_visible`` narrows querysets
    with it; a statement written by hand (``api.selectors.use_page``) applies the same."""
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope("everything")
    if user.role in (Role.CLERK, Role.APPROVER) and municipality and user.municipality_id:
        return Scope("municipality", user.municipality_id)
    if user.role == Role.FACILITY and facility and user.facility_id:
        return Scope("facility", user.facility_id)
    if user.role == Role.MOTHER and mother:
        return Scope("mother", user.pk)
    return None


def _visible(
    user: Any,
    queryset: QuerySet,
    *,
    municipality: str | None,
    facility: str | Q | None = None,
    mother: str | None = None,
    office: str | None = None,
) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see; each keyword is the lookup path from the
    model to the municipality id, the facility id (or a Q for it), the mother's user and the
    office id (for objects that belong to one office)."""
    seen = scope(
        user,
        municipality=municipality is not None,
        facility=facility is not None,
        mother=mother is not None,
    )
    if seen is None:
        return queryset.none()
    if seen.of == "everything":
        return queryset
    if seen.of == "municipality":
        queryset = queryset.filter(**{municipality: seen.id})
        if office and user.office_id:
            queryset = queryset.filter(
                Q(**{office: user.office_id}) | Q(**{f"{office}__isnull": True})
            )
        return queryset
    if seen.of == "facility":
        if isinstance(facility, Q):
            return queryset.filter(facility).distinct()
        return queryset.filter(**{facility: seen.id})
    return queryset.filter(**{f"{mother}_id": seen.id})


def mothers_visible_to(user: Any) -> QuerySet[Mother]:
    return _visible(user, Mother.objects.all(), municipality="municipality_id", mother="user")


def applications_visible_to(user: Any) -> QuerySet[Application]:
    return _visible(
        user,
        Application.objects.all(),
        municipality="municipality_id",
        mother="mother__user",
        office="office_id",
    )


def change_requests_visible_to(user: Any) -> QuerySet[ChangeRequest]:
    return _visible(
        user,
        ChangeRequest.objects.all(),
        municipality="application__municipality_id",
        mother="application__mother__user",
        office="application__office_id",
    )


# How long a facility keeps seeing a voucher after the last use it recorded: long enough to
# claim that month, answer こども課's questions on the claim and correct a line.
RECENT_USE_DAYS = 180


def vouchers_visible_to(user: Any) -> QuerySet[Voucher]:
    """A facility sees a voucher while it has a live relation with it: a booking that still
    holds a place (requested, provisional or confirmed), or a use it recorded in the last
    ``RECENT_USE_DAYS`` days. A cancelled or declined booking alone shows nothing."""
    since = timezone.localdate() - timedelta(days=RECENT_USE_DAYS)
    presented = Q(
        uses__facility_id=user.facility_id,
        uses__status=Use.Status.RECORDED,
        uses__day__gte=since,
    ) | Q(mother__bookings__facility_id=user.facility_id, mother__bookings__status__in=OCCUPYING)
    return _visible(
        user,
        Voucher.objects.all(),
        municipality="municipality_id",
        facility=presented,
        mother="mother__user",
        office="office_id",
    )


def bookings_visible_to(user: Any) -> QuerySet[Booking]:
    return _visible(
        user,
        Booking.objects.all(),
        municipality="municipality_id",
        facility="facility_id",
        mother="mother__user",
    )


def waitlist_visible_to(user: Any) -> QuerySet[WaitlistEntry]:
    return _visible(
        user,
        WaitlistEntry.objects.all(),
        municipality="municipality_id",
        facility="facility_id",
        mother="mother__user",
    )


def uses_visible_to(user: Any) -> QuerySet[Use]:
    return _visible(
        user,
        Use.objects.all(),
        municipality="municipality_id",
        facility="facility_id",
        mother="voucher__mother__user",
    )


def reimbursements_visible_to(user: Any) -> QuerySet[Reimbursement]:
    return _visible(
        user,
        Reimbursement.objects.all(),
        municipality="voucher__municipality_id",
        mother="voucher__mother__user",
    )


def uploads_visible_to(user: Any) -> QuerySet[Upload]:
    """A file handed in: its mother and her municipality's staff; never a facility."""
    return _visible(
        user,
        Upload.objects.all(),
        municipality="municipality_id",
        mother="mother__user",
        office="application__office_id",
    )


def claims_visible_to(user: Any) -> QuerySet[FacilityClaim]:
    return _visible(
        user, FacilityClaim.objects.all(), municipality="municipality_id", facility="facility_id"
    )


def audit_visible_to(user: Any) -> QuerySet[AuditEvent]:
    return _visible(user, AuditEvent.objects.all(), municipality="municipality_id")
