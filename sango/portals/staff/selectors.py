"""What the staff office reads: the querysets of ``sango.accounts.access`` (a member of staff
never reaches another municipality's or office's cases) with the joins each page needs, so
that a page's number of queries does not grow with the number of cases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jaconv
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sango.accounts import access
from sango.accounts.models import User
from sango.applications.models import Application, ChangeRequest, TierBasis
from sango.applications.selectors import DecisionTiming, decision_timing
from sango.audit.selectors import audit_for_application
from sango.billing.models import FacilityClaim
from sango.bookings.models import Booking
from sango.core.paging import head_and_total
from sango.mothers.models import Mother
from sango.payments.selectors import paid_day
from sango.reimbursements.models import Reimbursement
from sango.rules.request import parse_date
from sango.usage.models import Use
from sango.vouchers.models import Voucher
from sango.vouchers.services import normalise_number, number_is_well_formed

Status = Application.Status
INBOX_ROWS = 50  # rows shown per step; the count says how many more there are


@dataclass
class InboxRow:
    """One piece of waiting work: what, whose, where, since when."""

    url: str
    title: str
    mother: str
    office: str
    since: Any  # the datetime the work arrived
    timing: DecisionTiming | None = None
    detail: str = ""


@dataclass
class InboxStep:
    code: str
    title: str
    rows: list[InboxRow] = field(default_factory=list)
    total: int = 0


def _scoped(applications: QuerySet, *, office: int | None, worker: int | None) -> QuerySet:
    if office:
        applications = applications.filter(office_id=office)
    if worker:
        applications = applications.filter(assigned_to_id=worker)
    return applications


def inbox(user: Any, *, office: int | None = None, worker: int | None = None) -> list[InboxStep]:
    """The work waiting, by step, oldest first. Six queries for the rows, and a count for
    each step with more rows than are shown, whatever the number of cases."""
    from django.urls import reverse

    today = timezone.localdate()
    base = _scoped(
        access.applications_visible_to(user).select_related("mother", "municipality", "office"),
        office=office,
        worker=worker,
    ).order_by("submitted_at", "pk")
    verified = ~Q(tier="") & ~Q(tier_basis=TierBasis.PENDING)
    steps = [
        ("submitted", _("受付済み（聞き取り待ち）"), base.filter(status=Status.SUBMITTED)),
        (
            "tier",
            _("聞き取り済み（区分確認待ち）"),
            base.filter(status=Status.INTERVIEWED).exclude(verified),
        ),
        ("decision", _("決裁待ち"), base.filter(status=Status.INTERVIEWED).filter(verified)),
    ]
    result = []
    for code, title, queryset in steps:
        applications, total = head_and_total(queryset, INBOX_ROWS)
        rows = [
            InboxRow(
                url=reverse("staff:case", args=[a.pk]),
                title=_("利用申請 %(number)s") % {"number": a.pk},
                mother=a.mother.name,
                office=a.office.name if a.office else "",
                since=a.submitted_at,
                timing=decision_timing(a, today=today),
            )
            for a in applications
        ]
        result.append(InboxStep(code, title, rows, total))
    result += _other_steps(user, office=office, worker=worker)
    return result


def _other_steps(user: Any, *, office: int | None, worker: int | None) -> list[InboxStep]:
    from django.urls import reverse

    changes = access.change_requests_visible_to(user).filter(status=ChangeRequest.Status.SUBMITTED)
    changes = changes.select_related("application__mother", "application__office")
    if office:
        changes = changes.filter(application__office_id=office)
    if worker:
        changes = changes.filter(application__assigned_to_id=worker)
    changes = changes.order_by("submitted_at", "pk")
    reimbursements = access.reimbursements_visible_to(user).filter(
        status=Reimbursement.Status.SUBMITTED
    )
    reimbursements = reimbursements.select_related("voucher__mother", "voucher__office")
    if office:
        reimbursements = reimbursements.filter(voucher__office_id=office)
    reimbursements = reimbursements.order_by("submitted_at", "pk")
    claims = access.claims_visible_to(user).filter(status=FacilityClaim.Status.SUBMITTED)
    claims = claims.select_related("facility").order_by("submitted_at", "pk")
    changes, changes_total = head_and_total(changes, INBOX_ROWS)
    reimbursements, reimbursements_total = head_and_total(reimbursements, INBOX_ROWS)
    claims, claims_total = head_and_total(claims, INBOX_ROWS)
    return [
        InboxStep(
            "changes",
            _("変更・中止申請"),
            [
                InboxRow(
                    url=reverse("staff:change", args=[c.pk]),
                    title=c.get_kind_display(),
                    mother=c.application.mother.name,
                    office=c.application.office.name if c.application.office else "",
                    since=c.submitted_at,
                )
                for c in changes
            ],
            changes_total,
        ),
        InboxStep(
            "reimbursements",
            _("償還払い申請"),
            [
                InboxRow(
                    url=reverse("staff:reimbursement", args=[r.pk]),
                    title=r.facility_name,
                    mother=r.voucher.mother.name,
                    office=r.voucher.office.name if r.voucher.office else "",
                    since=r.submitted_at,
                )
                for r in reimbursements
            ],
            reimbursements_total,
        ),
        InboxStep(
            "claims",
            _("委託料請求の審査"),
            [
                InboxRow(
                    url=reverse("staff:claim", args=[c.pk]),
                    title=c.facility.name,
                    mother="",
                    office="",
                    since=c.submitted_at,
                    detail=f"{c.month.year}年{c.month.month}月",
                )
                for c in claims
            ],
            claims_total,
        ),
    ]


def offices_of(user: Any):
    return user.municipality.offices.filter(active=True).order_by("code")


def workers_of(user: Any) -> QuerySet[User]:
    """The municipality's staff, for the inbox's filter by worker (担当者)."""
    return User.objects.filter(
        municipality_id=user.municipality_id,
        role__in=[User.Role.CLERK, User.Role.APPROVER],
        is_active=True,
    ).order_by("username")


# --- search -----------------------------------------------------------------------------------

_DIGITS = re.compile(r"\D")
SEARCH_ROWS = 100


def _kana(text: str) -> str:
    """What a フリガナ search compares: full-width katakana, no spaces (ﾊﾅｺ, はなこ → ハナコ)."""
    return jaconv.hira2kata(jaconv.h2z(text, kana=True, digit=False, ascii=False)).replace(" ", "")


def search(user: Any, query: str) -> QuerySet[Application] | None:
    """Applications (with their mothers) matching ``query``: a name in kanji or kana, a birth
    date in 西暦 or 和暦, a phone number, an application number or a voucher number.
    None for an empty query."""
    text = jaconv.z2h(query.strip(), digit=True, ascii=True, kana=False).strip()
    if not text:
        return None
    mothers = access.mothers_visible_to(user)
    applications = access.applications_visible_to(user)
    match = Q(pk__in=[])
    digits = _DIGITS.sub("", text)
    if number_is_well_formed(text):
        numbered = access.vouchers_visible_to(user).filter(number=normalise_number(text))
        match |= Q(voucher__in=numbered)
    birth = parse_date(text)
    if birth is not None:
        match |= Q(mother__birth_date=birth)
    elif text.isdigit() and len(text) <= 9:
        match |= Q(pk=int(text))
    if len(digits) >= 4 and digits == text.replace("-", "").replace(" ", ""):
        phones = mothers.annotate(digits=Replace(F("phone"), Value("-"), Value(""))).filter(
            digits__contains=digits
        )
        match |= Q(mother__in=phones)
    if not text.replace("-", "").replace(" ", "").isdigit():
        kana = _kana(text)
        spaced = mothers.annotate(bare=Replace(F("name_kana"), Value(" "), Value("")))
        by_name = spaced.filter(
            Q(name__contains=text)
            | Q(name__contains=text.replace(" ", ""))
            | Q(bare__contains=kana)
        )
        match |= Q(mother__in=by_name)
    return (
        applications.filter(match)
        .select_related("mother", "office", "voucher", "municipality")
        .order_by("-created_at")[:SEARCH_ROWS]
    )


def cards_search(user: Any, query: str) -> QuerySet[Voucher]:
    """Usage cards (利用カード) of mothers matching ``query`` by name, kana or card number."""
    text = jaconv.z2h(query.strip(), digit=True, ascii=True, kana=False).strip()
    cards = access.vouchers_visible_to(user).filter(kind=Voucher.Kind.USAGE_CARD)
    if not text:
        return cards.none()
    match = Q(mother__name__contains=text) | Q(mother__name_kana__contains=_kana(text))
    if number_is_well_formed(text):
        match |= Q(number=normalise_number(text))
    birth = parse_date(text)
    if birth is not None:
        match |= Q(mother__birth_date=birth)
    return cards.filter(match).select_related("mother", "office")[:SEARCH_ROWS]


# --- one case ---------------------------------------------------------------------------------


def case_for(user: Any, pk: int) -> Application:
    """One application with everything its page shows, or 404 (someone else's reads the same)."""
    from django.shortcuts import get_object_or_404

    applications = (
        access.applications_visible_to(user)
        .select_related(
            "mother", "municipality", "office", "facility", "assigned_to", "created_by", "voucher"
        )
        .prefetch_related(
            "mother__infants",
            Prefetch("interviews", queryset=_interviews()),
            "grants",
            Prefetch("decisions", queryset=_decisions()),
            Prefetch("change_requests", queryset=ChangeRequest.objects.select_related("facility")),
            Prefetch("bookings", queryset=Booking.objects.select_related("facility")),
            "uploads",
        )
    )
    return get_object_or_404(applications, pk=pk)


def _interviews():
    from sango.applications.models import Interview

    return Interview.objects.select_related("conducted_by").order_by("-conducted_at")


def _decisions():
    from sango.applications.models import Decision

    return Decision.objects.select_related("decided_by").order_by("-decided_at")


def card_for(user: Any, pk: int) -> Voucher:
    """One usage card (利用カード) with its mother and infants, or 404 (a card of another
    municipality or ward office reads the same)."""
    from django.shortcuts import get_object_or_404

    cards = (
        access.vouchers_visible_to(user)
        .filter(kind=Voucher.Kind.USAGE_CARD)
        .select_related("mother", "municipality", "office", "issued_by")
        .prefetch_related("mother__infants")
    )
    return get_object_or_404(cards, pk=pk)


def uses_of(voucher: Voucher | None) -> list[Use]:
    if voucher is None:
        return []
    return list(
        Use.objects.filter(voucher=voucher).select_related("facility").order_by("day", "id")
    )


def reimbursements_of(voucher: Voucher | None) -> list[Reimbursement]:
    if voucher is None:
        return []
    return list(Reimbursement.objects.filter(voucher=voucher).order_by("-submitted_at"))


def other_applications(application: Application) -> QuerySet[Application]:
    return application.mother.applications.exclude(pk=application.pk).order_by("-created_at")


def audit_of(application: Application):
    return audit_for_application(application_id=application.pk).select_related("actor")


def open_applications_of(mother: Mother) -> QuerySet[Application]:
    """Her applications still in progress: the warning on a second paper application."""
    return mother.applications.filter(
        status__in=[Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED, Status.APPROVED]
    )


def today() -> date:
    return timezone.localdate()


# --- decisions, reimbursements and facility claims ---------------------------------------------


def contracted_facilities(user: Any):
    """The facilities under contract with the user's municipality (in the current list)."""
    from sango.facilities.models import Facility

    return Facility.objects.filter(
        contracts__municipality_id=user.municipality_id, contracts__listed=True
    ).order_by("name")


def change_for(user: Any, pk: int) -> ChangeRequest:
    """One change request with its application, mother and voucher, or 404."""
    from django.shortcuts import get_object_or_404

    changes = (
        access.change_requests_visible_to(user)
        .select_related(
            "application__mother",
            "application__municipality",
            "application__facility",
            "application__voucher",
            "facility",
            "submitted_by",
            "decided_by",
        )
        .prefetch_related("application__grants", "application__mother__infants")
    )
    return get_object_or_404(changes, pk=pk)


def _waiting_first(status: str):
    from django.db.models import Case, IntegerField, When

    return Case(When(status=status, then=0), default=1, output_field=IntegerField())


def reimbursements_list(user: Any, *, status: str | None = None) -> QuerySet[Reimbursement]:
    """The municipality's 償還払い claims, the ones waiting for a decision first."""
    rows = access.reimbursements_visible_to(user).select_related(
        "voucher__mother", "voucher__application"
    )
    if status:
        rows = rows.filter(status=status)
    waiting = _waiting_first(Reimbursement.Status.SUBMITTED)
    paid_on = paid_day("reimbursement")
    rows = rows.annotate(waiting=waiting, paid_on=paid_on)
    return rows.order_by("waiting", "-submitted_at", "-pk")


def reimbursement_for(user: Any, pk: int) -> Reimbursement:
    from django.shortcuts import get_object_or_404

    rows = access.reimbursements_visible_to(user).select_related(
        "voucher__mother",
        "voucher__application",
        "voucher__municipality",
        "use",
        "submitted_by",
        "decided_by",
        "bank_account__confirmed_by",
    )
    receipts = Prefetch("uploads", queryset=access.uploads_visible_to(user))
    rows = rows.prefetch_related(receipts).annotate(paid_on=paid_day("reimbursement"))
    return get_object_or_404(rows, pk=pk)


def claims_list(
    user: Any, *, month: date | None = None, status: str | None = None
) -> QuerySet[FacilityClaim]:
    """The municipality's 委託料請求 with their number of lines, submitted ones first."""
    from django.db.models import Count

    claims = access.claims_visible_to(user).select_related("facility")
    if month:
        claims = claims.filter(month=month)
    if status:
        claims = claims.filter(status=status)
    waiting = _waiting_first(FacilityClaim.Status.SUBMITTED)
    paid_on = paid_day("claim")
    return claims.annotate(waiting=waiting, line_count=Count("lines"), paid_on=paid_on).order_by(
        "waiting", "-month", "facility__name", "pk"
    )


def claim_months(user: Any) -> list[date]:
    """The months the municipality has claims for, latest first (the list's filter)."""
    months = access.claims_visible_to(user).values_list("month", flat=True).distinct()
    return sorted(set(months), reverse=True)


def claim_for(user: Any, pk: int) -> FacilityClaim:
    """One claim with its lines, each with its use, voucher and mother, or 404."""
    from django.shortcuts import get_object_or_404

    from sango.billing.models import ClaimLine

    lines = ClaimLine.objects.select_related("use__voucher__mother").order_by("use__day", "pk")
    claims = (
        access.claims_visible_to(user)
        .select_related("facility", "municipality", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .annotate(paid_on=paid_day("claim"))
    )
    return get_object_or_404(claims, pk=pk)


# --- paper application entry (intake) ---------------------------------------------------------


def open_applications_like(user: Any, *, name_kana: str, birth_date: date) -> list[Application]:
    """The open applications (as ``open_applications_of``) of a mother of the user's
    municipality with the same フリガナ (spaces ignored) and birth date, newest first: the
    warning before a second paper application for the same person."""
    mothers = (
        access.mothers_visible_to(user)
        .annotate(bare=Replace(F("name_kana"), Value(" "), Value("")))
        .filter(bare=name_kana.replace(" ", ""), birth_date=birth_date)
    )
    return list(
        Application.objects.filter(
            mother__in=mothers,
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED, Status.APPROVED],
        )
        .select_related("mother", "office")
        .order_by("-created_at", "-pk")
    )
