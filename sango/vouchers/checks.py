"""利用券の確認 at a facility: a voucher shown by its number and the mother's birth date, or by
the QR code printed on it, to a facility contracted with the voucher's municipality; what the
facility is then shown; and the limits on failed checks, so that a birth date cannot be guessed.

The limits:

- **one account**: after ``ACCOUNT_LIMIT`` failed checks within ``ACCOUNT_WINDOW``, the
  account checks nothing (by number or by QR code) until the oldest of them has left the
  window; the refusal says in how many minutes;
- **one voucher**: after ``VOUCHER_LIMIT`` wrong birth dates for its number within
  ``VOUCHER_WINDOW``, from any account, a check of that number by birth date fails for everyone
  until the window has passed, even with the right date. It fails with the same message as a
  wrong date, so nobody learns that the number exists; the QR code on the paper still works (it
  shows the paper is at hand, nothing is guessed).

A mistyped number (the check digit) is caught before any look-up and is not a failure. Each
failure is logged by account id only; when an account or a voucher reaches its limit, an audit
event on the voucher (its municipality's) tells こども課, without personal data.

Call the check outside any transaction that a refusal would roll back: the failure it records
must stay.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Value
from django.utils import timezone

from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.core.rows import columns, converted, instances
from sango.facilities.models import Contract
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality
from sango.programs.rules_for import program_for
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet
from sango.usage.selectors import remaining_by_cap
from sango.vouchers.models import CheckFailure, Voucher
from sango.vouchers.services import voucher_number_shown

logger = logging.getLogger(__name__)

ACCOUNT_LIMIT, ACCOUNT_WINDOW = 5, timedelta(minutes=15)
VOUCHER_LIMIT, VOUCHER_WINDOW = 5, timedelta(hours=1)

NOT_CONFIRMED = "利用券を確認できません。番号と生年月日をお確かめください。"
Reason = CheckFailure.Reason


class ChecksBlocked(ServiceError):
    """The account failed too often: no check for ``minutes`` more minutes."""

    def __init__(self, minutes: int) -> None:
        super().__init__(
            "確認の失敗が続いたため、しばらく確認できません。"
            f"{minutes}分後にもう一度お試しください。",
            code="blocked",
        )
        self.minutes = minutes


def check_block_minutes(*, actor: Any, now: datetime | None = None) -> int | None:
    """Whole minutes (rounded up) until ``actor`` may check a voucher again; None when now."""
    now = now or timezone.now()
    recent = list(
        CheckFailure.objects.filter(user=actor, at__gt=now - ACCOUNT_WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:ACCOUNT_LIMIT]
    )
    return _minutes_blocked(recent[-1] if len(recent) == ACCOUNT_LIMIT else None, now)


def _minutes_blocked(blocking: datetime | None, now: datetime) -> int | None:
    """Minutes until the block lifts: when ``blocking``, the ``ACCOUNT_LIMIT``-th latest
    failure within the window (None while fewer), leaves the window."""
    if blocking is None:
        return None
    seconds = (blocking + ACCOUNT_WINDOW - now).total_seconds()
    return max(math.ceil(seconds / 60), 1)


def _refuse_if_blocked(actor: Any, minutes: int | None) -> None:
    """Raise ``ChecksBlocked`` when the account is blocked for ``minutes`` more."""
    if minutes is not None:
        logger.warning("voucher check refused while blocked: account=%s", actor.pk)
        raise ChecksBlocked(minutes)


def voucher_check_at_facility(
    *, actor: Any, number: str = "", mother_birth_date: date | None = None, qr: str = ""
) -> Voucher:
    """The voucher ``actor``'s facility is shown, by number and birth date or by the signed QR
    payload, with its mother and municipality.

    Raises ``ChecksBlocked`` while the account is blocked; a ``bad_number`` error on ``number``
    for a mistyped number; otherwise the one ``not_found`` message for every failure (unknown
    number, wrong birth date, a QR code that is not a voucher's, a voucher of a municipality
    the facility has no listed contract with, a voucher locked by repeated failures).

    A check that succeeds costs one query: the voucher, with the account's block, the
    voucher's wrong birth dates and the contract read alongside it.
    """
    now = timezone.now()
    try:
        shown = voucher_number_shown(number=number, qr=qr)
    except ServiceError as error:
        _refuse_if_blocked(actor, check_block_minutes(actor=actor, now=now))
        if error.code == "bad_number":
            raise  # a typing mistake, caught by the check digit before any look-up
        raise _failure(actor, now, Reason.BAD_QR, None) from None
    found = _shown_with_limits(actor, shown, now)
    if found is None:
        _refuse_if_blocked(actor, check_block_minutes(actor=actor, now=now))
        raise _failure(actor, now, Reason.BAD_QR if qr else Reason.UNKNOWN_NUMBER, None)
    _refuse_if_blocked(actor, _minutes_blocked(found.blocking_failure, now))
    if not qr and found.mother.birth_date != mother_birth_date:
        raise _failure(actor, now, Reason.WRONG_BIRTH_DATE, found)
    if not qr and found.wrong_dates >= VOUCHER_LIMIT:
        raise _failure(actor, now, Reason.VOUCHER_LOCKED, found)
    if not found.contracted:
        raise _failure(actor, now, Reason.NOT_CONTRACTED, found)
    # A check that succeeds is every reception's normal course (and every use recorded makes
    # one): DEBUG, not INFO. Failures, blocks and locks are warnings and audit events.
    logger.debug("voucher checked: account=%s voucher=%s", actor.pk, found.pk)
    return found


def _shown_with_limits(actor: Any, number: str, now: datetime) -> Voucher | None:
    """The voucher numbered ``number`` with its mother and municipality, annotated with what
    the limits need — ``blocking_failure`` (the account's ``ACCOUNT_LIMIT``-th latest failure
    within its window, as ``check_block_minutes`` reads it), ``wrong_dates`` (the voucher's
    wrong birth dates within its window) and ``contracted`` (the actor's facility holds a
    listed contract with its municipality) — in one query.

    The statement is written out, the three limits as subqueries: composed by the ORM (three
    joined models, ``Subquery``, ``Exists``, ``OuterRef``) it takes longer to compile than the
    whole check takes otherwise, and every check at every reception pays for it. The rows
    are converted as the ORM would convert them (``sango.core.rows``)."""
    at = CheckFailure._meta.get_field("at")
    account_since = at.get_db_prep_value(now - ACCOUNT_WINDOW, connection)
    voucher_since = at.get_db_prep_value(now - VOUCHER_WINDOW, connection)
    sql = _shown_sql(type(connection.ops))
    params = [actor.pk, account_since, ACCOUNT_LIMIT - 1]
    params += [Reason.WRONG_BIRTH_DATE.value, voucher_since, actor.facility_id, True, number]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    voucher, mother, municipality, blocking, wrong, contracted = instances(
        row, Voucher, Mother, Municipality
    )
    voucher.mother, voucher.municipality = mother, municipality
    voucher.blocking_failure = converted(blocking, _AT)
    voucher.wrong_dates = converted(wrong, _COUNT)
    voucher.contracted = converted(contracted, _FLAG)
    return voucher


@cache
def _shown_sql(backend: type) -> str:
    """``_shown_with_limits``' statement, composed once per backend."""
    qn = connection.ops.quote_name
    failures, contracts = qn(CheckFailure._meta.db_table), qn(Contract._meta.db_table)
    return (
        f"SELECT {columns(Voucher, 'v')}, {columns(Mother, 'm')}, {columns(Municipality, 'mu')},"
        f" (SELECT f.{qn('at')} FROM {failures} f WHERE f.{qn('user_id')} = %s"
        f" AND f.{qn('at')} > %s ORDER BY f.{qn('at')} DESC LIMIT 1 OFFSET %s),"
        f" (SELECT COUNT(*) FROM {failures} f WHERE f.{qn('voucher_id')} = v.{qn('id')}"
        f" AND f.{qn('reason')} = %s AND f.{qn('at')} > %s),"
        f" EXISTS (SELECT 1 FROM {contracts} c WHERE c.{qn('facility_id')} = %s"
        f" AND c.{qn('municipality_id')} = v.{qn('municipality_id')} AND c.{qn('listed')} = %s)"
        f" FROM {qn(Voucher._meta.db_table)} v"
        f" INNER JOIN {qn(Mother._meta.db_table)} m ON m.{qn('id')} = v.{qn('mother_id')}"
        f" INNER JOIN {qn(Municipality._meta.db_table)} mu"
        f" ON mu.{qn('id')} = v.{qn('municipality_id')}"
        f" WHERE v.{qn('number')} = %s LIMIT 1"
    )


# The three limits as the ORM would read them (SQLite's text times and integer booleans).
_AT = Value(None, output_field=models.DateTimeField())
_COUNT = Value(None, output_field=models.IntegerField())
_FLAG = Value(None, output_field=models.BooleanField())


def _wrong_dates(voucher: Voucher, now: datetime) -> int:
    return CheckFailure.objects.filter(
        voucher=voucher, reason=Reason.WRONG_BIRTH_DATE, at__gt=now - VOUCHER_WINDOW
    ).count()


def _contracted(actor: Any, voucher: Voucher) -> bool:
    return Contract.objects.filter(
        facility_id=actor.facility_id, municipality_id=voucher.municipality_id, listed=True
    ).exists()


def _failure(actor: Any, now: datetime, reason: str, voucher: Voucher | None) -> ServiceError:
    """Record one failure, tell the municipality when a limit is reached, and return the error
    to raise."""
    with transaction.atomic():
        CheckFailure.objects.create(user=actor, at=now, voucher=voucher, reason=reason)
        logger.warning("voucher check failed: account=%s reason=%s", actor.pk, reason)
        failures = CheckFailure.objects.filter(user=actor, at__gt=now - ACCOUNT_WINDOW)
        told: set[int] = set()
        if failures.count() == ACCOUNT_LIMIT:
            logger.warning("voucher checks blocked: account=%s", actor.pk)
            ids = {f.voucher_id for f in failures if f.voucher_id is not None}
            for known in Voucher.objects.filter(pk__in=ids).select_related("application"):
                _tell(actor, known, "voucher.check_blocked", ACCOUNT_LIMIT, ACCOUNT_WINDOW)
                told.add(known.pk)
        wrong_date = reason == Reason.WRONG_BIRTH_DATE
        if voucher is not None and wrong_date and _wrong_dates(voucher, now) == VOUCHER_LIMIT:
            logger.warning("voucher locked by failed checks: voucher=%s", voucher.pk)
            if voucher.pk not in told:
                _tell(actor, voucher, "voucher.check_locked", VOUCHER_LIMIT, VOUCHER_WINDOW)
    return ServiceError(NOT_CONFIRMED, code="not_found")


def _tell(actor: Any, voucher: Voucher, action: str, limit: int, window: timedelta) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=voucher,
        application=voucher.application,
        after={
            "failures": limit,
            "window_minutes": int(window.total_seconds() // 60),
            "facility_id": actor.facility_id,
        },
    )


def _with_details(vouchers) -> Any:
    return vouchers.select_related("mother", "municipality", "application").prefetch_related(
        "mother__infants"
    )


def voucher_checked(*, actor: Any, voucher_id: int | None) -> Voucher | None:
    """The voucher ``actor`` checked earlier (its id kept in the session), as long as the
    facility still holds a listed contract with its municipality; None otherwise."""
    if voucher_id is None:
        return None
    voucher = _with_details(Voucher.objects.filter(pk=voucher_id)).first()
    if voucher is None or not _contracted(actor, voucher):
        return None
    return voucher


# --- what the facility is shown ---------------------------------------------------------------


@dataclass(frozen=True)
class OfferedService:
    """A service of the programme that the facility's contract offers (a service with sub-types
    once, its sub-types chosen by the rules from the times), with the contract's fees."""

    code: str
    name: str
    unit: str
    fees: tuple[tuple[str, int], ...]  # (service or sub-type name, yen per unit)

    @property
    def fee_known(self) -> bool:
        return bool(self.fees)


def offered_services(*, municipality_code: str, rules: RuleSet, slug: str) -> list[OfferedService]:
    """What the facility ``slug`` offers under ``rules``, in the programme's order. The fee is
    the programme's own where the programme sets one (``fee_basis: programme``), else the
    contract's as the programme document lists it."""
    facility = program_for(municipality_code).facility(slug)
    if facility is None:
        return []
    offered = [code for code in facility.services if rules.knows(code)]
    found = []
    for service in rules.services.values():
        codes = [service.code, *(sub.code for sub in service.subtypes)]
        if not any(code in offered for code in codes):
            continue
        fees = []
        for code in codes:
            fee = _fee_of(rules, facility.services.get(code), code)
            if fee is not None and (code in offered or rules.money.fee_basis == "programme"):
                fees.append((service_name(rules, code), fee))
        found.append(OfferedService(service.code, service.name, service.unit, tuple(fees)))
    return found


def _fee_of(rules: RuleSet, contract: Any, code: str) -> int | None:
    if rules.money.fee_basis == "programme":
        return rules.money.base_fees.get(code)
    return contract.fee if contract is not None else None


@dataclass(frozen=True)
class CheckedVoucher:
    """What a facility sees of a checked voucher, and nothing more: the mother's name, the
    validity and status, what her municipality's programme lets the facility give her and what
    remains per cap, the programme's notices of the day and the interview's note for the
    facility."""

    voucher: Voucher
    day: date
    rules: RuleSet | None  # None when no version is in force on ``day``
    services: tuple[OfferedService, ...]
    remaining: tuple[dict, ...]
    notices: tuple[str, ...]
    facility_note: str
    infants: int  # infants of her latest delivery registered

    @property
    def recordable(self) -> bool:
        """Whether a use may be entered (the rules still judge it)."""
        return self.voucher.status != Voucher.Status.CANCELLED and self.rules is not None


def checked_voucher(*, voucher: Voucher, slug: str, day: date) -> CheckedVoucher:
    """The facility ``slug``'s view of ``voucher`` under the rules in force on ``day``."""
    code = voucher.municipality.code
    rules = program_for(code).version_on(day)
    interview = None
    if voucher.application_id is not None:
        interview = voucher.application.interviews.order_by("-conducted_at").first()
    return CheckedVoucher(
        voucher=voucher,
        day=day,
        rules=rules,
        services=tuple(offered_services(municipality_code=code, rules=rules, slug=slug))
        if rules
        else (),
        remaining=tuple(remaining_by_cap(voucher=voucher, rules=rules, day=day).values())
        if rules
        else (),
        notices=tuple(rules.process.notices) if rules else (),
        facility_note=interview.facility_note if interview else "",
        infants=registered_infants(voucher),
    )


def registered_infants(voucher: Voucher) -> int:
    """The infants registered for the mother's latest delivery (twins: 2; none before birth)."""
    delivery = voucher.mother.delivery_date
    return sum(1 for infant in voucher.mother.infants.all() if infant.birth_date == delivery)
