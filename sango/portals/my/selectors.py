"""What マイページ reads for a mother: her own record and cases, always through
``sango.accounts.access`` so that nothing of another mother can be reached (an id of someone
else's object is a 404). Each page's reads are gathered here in a fixed number of queries,
with every code turned into the programme's own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from sango.accounts.access import (
    applications_visible_to,
    bookings_visible_to,
    change_requests_visible_to,
    uses_visible_to,
    vouchers_visible_to,
)
from sango.applications.models import Application, ChangeRequest, Decision
from sango.bookings.models import OCCUPYING, Booking
from sango.core.errors import ServiceError
from sango.facilities.models import Contract
from sango.letters.qr import qr_svg
from sango.mothers.models import Mother
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet
from sango.usage.selectors import remaining_by_cap
from sango.vouchers.models import Voucher
from sango.vouchers.services import voucher_qr_payload

Status = Application.Status
UNDER_WAY = (Status.SUBMITTED, Status.INTERVIEWED)


def mother_of(user: Any) -> Mother | None:
    """Her record, or None before she has given her details."""
    return (
        Mother.objects.filter(user=user)
        .select_related("municipality")
        .prefetch_related("infants")
        .first()
    )


def rules_or_none(code: str, day: date) -> RuleSet | None:
    try:
        return rules_on(code, day)
    except ServiceError:
        return None


def _remaining(voucher: Voucher, rules: RuleSet | None, day: date) -> list[dict]:
    """Per cap of today's rules: the programme's name, unit, limit, used and remaining; a cap
    her approval allows nothing on is left out (it is not hers to use)."""
    if rules is None:
        return []
    summary = remaining_by_cap(voucher=voucher, rules=rules, day=day).values()
    return [cap for cap in summary if cap["limit"] > 0]


def with_service_names(items: list[Any], code_of: str, day_of: str) -> list[Any]:
    """Each item with ``service_name``: the programme's name of its service (no query)."""
    for item in items:
        rules = rules_or_none(item.municipality.code, getattr(item, day_of))
        code = getattr(item, code_of)
        item.service_name = service_name(rules, code) if rules else code
    return items


def current_vouchers(vouchers: Any, today: date) -> Any:
    return vouchers.filter(status=Voucher.Status.ACTIVE).exclude(valid_until__lt=today)


# --- her first page ---------------------------------------------------------------------------


@dataclass
class Overview:
    """マイページ's first page: her record, her current voucher or card with what remains, her
    next booking, her applications (newest first) and the step she is at."""

    mother: Mother | None
    voucher: Voucher | None
    remaining: list[dict]
    next_booking: Booking | None
    applications: list[Application]
    step: str
    uses_cards: bool


def _step(mother: Mother | None, voucher: Voucher | None, applications: list) -> str:
    """The one next thing for her, as a word the template turns into plain sentences."""
    if mother is None:
        return "details"
    if voucher is not None and voucher.kind == Voucher.Kind.USAGE_CARD:
        return "card" if voucher.valid_until else "birth"
    if voucher is not None:
        return "voucher"
    latest = applications[0] if applications else None
    if latest is None:
        return "apply"
    return {
        Status.DRAFT: "draft",
        Status.SUBMITTED: "waiting",
        Status.INTERVIEWED: "waiting",
        Status.REJECTED: "rejected",
    }.get(latest.status, "apply")


def overview(user: Any) -> Overview:
    """Seven queries, whatever she holds: her record and infants, applications, the current
    voucher, its uses and grants, and her next booking."""
    today = timezone.localdate()
    mother = mother_of(user)
    applications = list(
        applications_visible_to(user).select_related("municipality").order_by("-created_at")[:20]
    )
    voucher = None
    if mother is not None:
        voucher = (
            current_vouchers(vouchers_visible_to(user), today)
            .select_related("municipality", "application")
            .order_by("-issued_at")
            .first()
        )
    if voucher is not None:
        voucher.mother = mother  # her infants are prefetched on her record
    rules = rules_or_none(mother.municipality.code, today) if mother else None
    upcoming = (
        bookings_visible_to(user)
        .filter(status__in=OCCUPYING, end_date__gte=today)
        .select_related("facility", "municipality")
        .order_by("start_date", "pk")
        .first()
    )
    return Overview(
        mother=mother,
        voucher=voucher,
        remaining=_remaining(voucher, rules, today) if voucher else [],
        next_booking=with_service_names([upcoming], "service", "start_date")[0]
        if upcoming
        else None,
        applications=applications,
        step=_step(mother, voucher, applications),
        uses_cards=bool(rules and rules.process.mode == "usage_card"),
    )


# --- her voucher ------------------------------------------------------------------------------


@dataclass
class VoucherPage:
    """Her digital voucher: number and QR (the same signed payload as the paper voucher, so the
    facility's check accepts it), validity, what remains per cap, what to bring, her uses."""

    voucher: Voucher
    qr: SafeString
    remaining: list[dict]
    bring: list[str]
    uses: list[Any]
    copay_total: int
    today: date = field(default_factory=timezone.localdate)


def voucher_of(user: Any, pk: int) -> Voucher:
    """One voucher or usage card of hers (404 otherwise), with her record and infants."""
    found = vouchers_visible_to(user).select_related("municipality", "application", "mother")
    return get_object_or_404(found.prefetch_related("mother__infants"), pk=pk)


def voucher_page(user: Any, pk: int) -> VoucherPage:
    """Five queries: the voucher with her record, her infants, her uses for the caps, the
    grants, and this voucher's uses with their facilities."""
    voucher = voucher_of(user, pk)
    today = timezone.localdate()
    rules = rules_or_none(voucher.municipality.code, today)
    uses = list(
        uses_visible_to(user)
        .filter(voucher=voucher, status="recorded")
        .select_related("facility", "municipality")
        .order_by("-day", "-pk")
    )
    return VoucherPage(
        voucher=voucher,
        qr=qr_svg(voucher_qr_payload(voucher)),
        remaining=_remaining(voucher, rules, today),
        bring=list(rules.process.bring_to_facility) if rules else [],
        uses=with_service_names(uses, "service", "day"),
        copay_total=sum(use.copay for use in uses),
    )


# --- decisions and changes --------------------------------------------------------------------


def decisions_of(user: Any) -> list[Decision]:
    """Her decision letters, newest first."""
    return list(
        Decision.objects.filter(application__in=applications_visible_to(user))
        .select_related("application__municipality")
        .order_by("-decided_at")[:50]
    )


def decision_of(user: Any, pk: int) -> Decision:
    """One decision of hers (404 otherwise), for its letter."""
    visible = Decision.objects.filter(application__in=applications_visible_to(user))
    return get_object_or_404(visible, pk=pk)


@dataclass
class ChangesPage:
    """Her approved applications she may ask to change or stop, and her change requests with
    the decision on each once made."""

    approved: list[Application]
    requests: list[ChangeRequest]
    decisions: list[Decision]


def changes_page(user: Any) -> ChangesPage:
    requests = list(
        change_requests_visible_to(user)
        .select_related("application__municipality", "facility", "decision")
        .order_by("-submitted_at")[:20]
    )
    approved = list(
        applications_visible_to(user)
        .filter(status=Status.APPROVED)
        .select_related("municipality")
        .prefetch_related(Prefetch("grants"))
        .order_by("-decided_at")
    )
    return ChangesPage(approved=approved, requests=requests, decisions=decisions_of(user))


def approved_application_of(user: Any, pk: int) -> Application:
    """One approved application of hers (404 otherwise): what a change request is about."""
    found = applications_visible_to(user).filter(status=Status.APPROVED)
    return get_object_or_404(found.select_related("municipality").prefetch_related("grants"), pk=pk)


def change_choices(application: Application) -> dict[str, list]:
    """What a change request may name: each cap of today's rules with its name and what is
    granted now, and the facilities the municipality contracts. One query (the contracts)."""
    rules = rules_or_none(application.municipality.code, timezone.localdate())
    granted = {grant.cap: grant.quantity for grant in application.grants.all()}
    caps = [(cap.code, cap.name, granted.get(cap.code, 0)) for cap in rules.caps] if rules else []
    contracts = Contract.objects.filter(
        municipality_id=application.municipality_id, listed=True
    ).select_related("facility")
    facilities = [(c.facility_id, c.facility.name) for c in contracts.order_by("facility__name")]
    return {"caps": caps, "facilities": facilities}


def change_request_of(user: Any, pk: int) -> ChangeRequest:
    """One change request of hers (404 otherwise), with the decision once made."""
    found = change_requests_visible_to(user).select_related(
        "application__municipality", "facility", "decision"
    )
    return get_object_or_404(found, pk=pk)
