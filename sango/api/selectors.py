"""What the API reads: the querysets of ``sango.accounts.access`` (so that nobody reaches another
municipality's, facility's or mother's objects) with the joins each response needs, so that the
number of queries of a list does not grow with its length.

Views call these and nothing else to read. Each function takes the user the response is for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sango.accounts import access
from sango.accounts.models import User
from sango.api import pagination
from sango.api.pagination import Rows
from sango.api.permissions import role_of
from sango.applications.models import Application, ChangeRequest
from sango.audit.models import AuditEvent
from sango.audit.selectors import audit_for_actor, audit_for_application
from sango.billing.models import ClaimLine, FacilityClaim
from sango.bookings.models import Booking
from sango.core import rows
from sango.core.errors import ServiceError
from sango.mothers.models import Mother
from sango.programs.registry import get_registry
from sango.programs.rules_for import rules_on
from sango.reimbursements.models import Reimbursement
from sango.rules import schema as s
from sango.rules.program import Program, RuleSet
from sango.usage.models import Use
from sango.usage.selectors import remaining_by_cap, voucher_facts
from sango.vouchers.checks import voucher_check_at_facility
from sango.vouchers.models import Voucher
from sango.vouchers.services import voucher_find, voucher_qr_payload

# --- people and cases -------------------------------------------------------------------------


def mothers_for(user: Any) -> QuerySet[Mother]:
    return (
        access.mothers_visible_to(user).select_related("municipality").prefetch_related("infants")
    )


def applications_for(user: Any, *, status: str | None = None) -> QuerySet[Application]:
    """The list: one row per application with its mother and municipality."""
    applications = access.applications_visible_to(user).select_related("mother", "municipality")
    if status:
        applications = applications.filter(status=status)
    return applications


def application_details_for(user: Any) -> QuerySet[Application]:
    """Applications with everything the detail shows: interviews, grants, decisions, voucher,
    bookings and change requests."""
    return (
        access.applications_visible_to(user)
        .select_related("mother", "municipality", "facility", "voucher")
        .prefetch_related(
            "interviews",
            "grants",
            "decisions",
            "change_requests",
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("facility", "mother", "municipality"),
            ),
        )
    )


def change_requests_for(user: Any) -> QuerySet[ChangeRequest]:
    return access.change_requests_visible_to(user).select_related("application")


def application_audit(application: Application) -> QuerySet[AuditEvent]:
    return audit_for_application(application_id=application.pk)


def audit_by_actor_for(user: Any, *, actor_id: int) -> QuerySet[AuditEvent]:
    """What ``actor_id`` did, as far as ``user`` may see (their municipality's events)."""
    return audit_for_actor(actor_id=actor_id) & access.audit_visible_to(user)


# --- vouchers ---------------------------------------------------------------------------------


def vouchers_for(user: Any) -> QuerySet[Voucher]:
    return access.vouchers_visible_to(user).select_related("mother", "municipality", "application")


def voucher_presented(
    user: Any, *, number: str = "", mother_birth_date: date | None = None, qr: str = ""
) -> Voucher:
    """The voucher shown by its number and the mother's birth date, or its signed QR payload.

    For facility staff the credentials are the proof of entitlement, for a municipality the
    facility is contracted with, and failures are limited (``sango.vouchers.checks``); anyone
    else finds only a voucher they may see anyway. Every failure is the same ``not_found``.
    """
    if role_of(user) == User.Role.FACILITY:
        # The same check as the facility portal's: contracted municipalities only, failures
        # counted and limited per account and per voucher (a birth date is not guessable).
        # It returns the voucher with its mother and municipality.
        return voucher_check_at_facility(
            actor=user, number=number, mother_birth_date=mother_birth_date, qr=qr
        )
    found = voucher_find(number=number, mother_birth_date=mother_birth_date, qr=qr)
    voucher = vouchers_for(user).filter(pk=found.pk).prefetch_related("mother__infants").first()
    if voucher is None:
        raise ServiceError(
            "利用券を確認できません。番号と生年月日をお確かめください。", code="not_found"
        )
    return voucher


def voucher_remaining(voucher: Voucher, day: date | None = None) -> dict[str, dict]:
    """Per cap of the rules in force on ``day`` (today by default): name, unit, limit, used and
    remaining, in the cap's unit. One query (``voucher_facts``)."""
    day = day or timezone.localdate()
    return remaining_by_cap(
        voucher=voucher,
        rules=rules_on(voucher.municipality.code, day),
        day=day,
        facts=voucher_facts(voucher),
    )


def voucher_card(voucher: Voucher) -> Voucher:
    """``voucher`` with ``remaining`` (today's rules) and ``qr`` (the signed payload) set."""
    voucher.remaining = voucher_remaining(voucher)
    voucher.qr = voucher_qr_payload(voucher)
    return voucher


def voucher_check(voucher: Voucher, *, show_name: bool) -> dict[str, Any]:
    """What a voucher check tells: the voucher, its validity and what remains — nothing else.
    The mother's name only when ``show_name`` (facility and municipal staff)."""
    return {
        "id": voucher.pk,
        "kind": voucher.kind,
        "kind_display": voucher.get_kind_display(),
        "status": voucher.status,
        "status_display": voucher.get_status_display(),
        "valid_from": voucher.valid_from,
        "valid_until": voucher.valid_until,
        "mother_name": voucher.mother.name if show_name else None,
        "remaining": voucher_remaining(voucher),
    }


# --- bookings, uses, money --------------------------------------------------------------------


def bookings_for(user: Any) -> QuerySet[Booking]:
    return access.bookings_visible_to(user).select_related("facility", "mother", "municipality")


def uses_for(
    user: Any, *, voucher_id: int | None = None, status: str | None = None
) -> QuerySet[Use]:
    uses = access.uses_visible_to(user).select_related("voucher", "facility", "municipality")
    if voucher_id is not None:
        uses = uses.filter(voucher_id=voucher_id)
    if status:
        uses = uses.filter(status=status)
    return uses


# What a use in a list shows (``UseOut``), read as plain values: building three related models
# per row costs more than the rest of the page (``serializers.usage.UseWriter`` writes them).
USE_ROW = (
    "id",
    "voucher_id",
    "voucher__number",
    "facility_id",
    "facility__slug",
    "facility__name",
    "municipality__code",
    "source",
    "status",
    "service",
    "day",
    "start",
    "end",
    "quantity",
    "infants",
    "tier",
    "fee",
    "extras",
    "subsidy",
    "copay",
    "funding",
    "counted",
    "version",
    "corrects_id",
    "recorded_at",
    "void_reason",
    "voided_at",
)


def use_page(user: Any, *, voucher_id: int | None = None, status: str | None = None) -> Rows:
    """The uses of ``uses_for`` (the same filters, order and access rule: ``access.scope``),
    read a page at a time as ``USE_ROW`` values by one statement composed once per backend
    and shape, which also counts the list up to ``EXACT_COUNT_UP_TO + 1`` when asked to
    (``pagination.Rows``). The API's busiest read: composed by the ORM, its page and its count
    cost more to compile than to run."""

    def uses() -> QuerySet[Use]:  # for a count beyond the exact one, seldom needed
        return uses_for(user, voucher_id=voucher_id, status=status)

    seen = access.scope(user, municipality=True, facility=True, mother=True)
    if seen is None:
        return Rows(uses, lambda offset, limit, count: ([], 0))
    where = [] if seen.of == "everything" else [seen.id]
    where += [value for value in (voucher_id, status) if value]
    shape = (type(connection.ops), seen.of, bool(voucher_id), bool(status))

    def read(offset: int, limit: int, count: bool) -> tuple[list[dict[str, Any]], int | None]:
        sql, read_rows = _use_page_sql(*shape, count)
        counting = [*where, pagination.EXACT_COUNT_UP_TO + 1] if count else []
        with connection.cursor() as cursor:
            cursor.execute(sql, [*counting, *where, limit, offset])
            fetched = cursor.fetchall()
        width = len(USE_ROW)  # the count, if asked for, is a last column on every row
        page = [dict(zip(USE_ROW, row[:width], strict=True)) for row in read_rows(fetched)]
        if not count:
            return page, None
        return page, fetched[0][-1] if fetched else 0

    return Rows(uses, read, key=f"uses:{seen.of}:{seen.id}:{voucher_id}:{status}")


# The tables of ``USE_ROW`` under their aliases: ``u`` the use, then its related rows by name.
_USE_JOINS = {"voucher": "v", "facility": "f", "municipality": "m"}


@cache
def _use_page_sql(
    backend: type, of: str, voucher: bool, status: bool, count: bool
) -> tuple[str, Callable[[Iterable[Sequence[Any]]], list[list[Any]]]]:
    """The page statement for a scope and filters, with the list's bounded count as its last
    column if ``count``, and what reads its rows' values."""
    qn = connection.ops.quote_name
    selected, expressions = [], []
    for name in USE_ROW:
        *path, last = name.split("__")
        model, alias = Use, "u"
        for part in path:
            model, alias = Use._meta.get_field(part).related_model, _USE_JOINS[part]
        field = model._meta.get_field(last)
        selected.append(f"{alias}.{qn(field.column)}")
        expressions.append(field.get_col(alias))
    joins = []
    for name, alias in _USE_JOINS.items():
        field = Use._meta.get_field(name)
        kind = "LEFT OUTER JOIN" if field.null else "INNER JOIN"
        joins.append(
            f"{kind} {qn(field.related_model._meta.db_table)} {alias}"
            f" ON {alias}.{qn(field.target_field.column)} = u.{qn(field.column)}"
        )

    def where(alias: str) -> str:
        conditions = {
            "everything": [],
            "municipality": [f"{alias}.{qn('municipality_id')} = %s"],
            "facility": [f"{alias}.{qn('facility_id')} = %s"],
            "mother": [
                f"{alias}.{qn('voucher_id')} IN (SELECT w.{qn('id')}"
                f" FROM {qn(Voucher._meta.db_table)} w"
                f" INNER JOIN {qn(Mother._meta.db_table)} o ON o.{qn('id')} = w.{qn('mother_id')}"
                f" WHERE o.{qn('user_id')} = %s)"
            ],
        }[of]
        if voucher:
            conditions.append(f"{alias}.{qn('voucher_id')} = %s")
        if status:
            conditions.append(f"{alias}.{qn('status')} = %s")
        return f" WHERE {' AND '.join(conditions)}" if conditions else ""

    table = qn(Use._meta.db_table)
    if count:
        selected.append(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} c{where('c')} LIMIT %s) n)")
    order = ", ".join(f"u.{qn(Use._meta.get_field(name).column)}" for name in Use._meta.ordering)
    sql = (
        f"SELECT {', '.join(selected)} FROM {table} u {' '.join(joins)}"
        f"{where('u')} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return sql, rows.reader(expressions)


def reimbursements_for(user: Any) -> QuerySet[Reimbursement]:
    return access.reimbursements_visible_to(user).select_related("voucher")


def claims_for(user: Any) -> QuerySet[FacilityClaim]:
    return access.claims_visible_to(user).select_related("facility", "municipality")


def claim_details_for(user: Any) -> QuerySet[FacilityClaim]:
    lines = ClaimLine.objects.select_related("use__voucher")
    return claims_for(user).prefetch_related(Prefetch("lines", queryset=lines))


def claim_line(claim: FacilityClaim, line_id: int) -> ClaimLine:
    """A line of ``claim`` (404 for a line of another claim)."""
    return get_object_or_404(
        ClaimLine.objects.select_related("claim", "use__voucher"), claim=claim, pk=line_id
    )


# --- programmes -------------------------------------------------------------------------------


def programmes() -> list[Program]:
    """Every loaded programme, by municipality code."""
    return list(get_registry())


@dataclass(frozen=True)
class ProgrammeVersion:
    """The version of one programme in force on ``on``, as lists the API renders."""

    program: Program
    rules: RuleSet
    on: date

    @property
    def services(self) -> list[s.Service]:
        return list(self.rules.services.values())

    @property
    def caps(self) -> list[s.Cap]:
        return list(self.rules.caps)

    @property
    def tiers(self) -> list[s.Tier]:
        return list(self.rules.money.tiers)


def programme_version(code: str, on: date) -> ProgrammeVersion:
    """404 for a municipality not loaded; a field error on ``on`` before the first version."""
    program = get_registry().get(code)
    if program is None:
        raise ServiceError("この市町村の制度は読み込まれていません。", code="not_found")
    rules = program.version_on(on)
    if rules is None:
        raise ServiceError(
            f"{on.isoformat()}に有効な制度がありません。", code="no_rules", field="on"
        )
    return ProgrammeVersion(program=program, rules=rules, on=on)
