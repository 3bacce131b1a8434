"""Reading payments: what is owed and to which account (the gathering a batch is built from),
the batches staff may see, and the 支払済み day other pages show beside a claim or a
reimbursement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from sango.accounts.access import reimbursements_visible_to
from sango.banking.models import BankAccount
from sango.billing.models import FacilityClaim
from sango.facilities.models import Facility
from sango.payments.models import Originator, PaymentBatch, PaymentLine, ReturnReason
from sango.payments.zengin_file import NewCode
from sango.reimbursements.models import Reimbursement

NO_ACCOUNT = _("振込先の口座が登録されていません。")
UNCONFIRMED = _("振込先の口座がまだ確認されていません（通帳の写しなどで確かめてください）。")
RETURNED = _("この口座への振込が戻されました（振込不能）。正しい口座を登録して確認してください。")
# The bank's reasons that say the account itself is wrong: no transfer goes to it again. A
# transfer returned for another reason (その他) goes to the same account in the next batch.
ACCOUNT_WRONG = (
    ReturnReason.NO_ACCOUNT,
    ReturnReason.NAME_MISMATCH,
    ReturnReason.CLOSED,
    ReturnReason.KIND_MISMATCH,
)


@dataclass
class Owed:
    """An approved claim or reimbursement not yet paid: ``account`` is where it would go;
    ``held`` says why it cannot go yet (no account, an account not confirmed), or is empty."""

    claim: FacilityClaim | None
    reimbursement: Reimbursement | None
    payee: str
    amount: int  # yen
    account: BankAccount | None
    held: str = ""


def _live(field: str) -> Exists:
    """A line that pays (or will pay) the row: one not returned by the bank."""
    lines = PaymentLine.objects.filter(**{field: OuterRef("pk")})
    return Exists(lines.exclude(state=PaymentLine.State.RETURNED))


def _current(accounts: list[BankAccount]) -> BankAccount | None:
    return next((a for a in accounts if a.retired_at is None), None)


def _held(account: BankAccount | None, wrong: set[int]) -> str:
    if account is None:
        return NO_ACCOUNT
    if account.pk in wrong:
        return RETURNED
    return "" if account.confirmed_at else UNCONFIRMED


def owed(municipality_id: int) -> list[Owed]:
    """Every approved facility claim (its approved total) and approved reimbursement (its
    amount) of the municipality that no line pays: facility claims first, by facility, then
    reimbursements in the order they were decided. A claim goes to the facility's current
    account; a reimbursement to the account given with it, or, if that was changed since (a
    returned transfer), to her current one. An account a transfer was returned from as wrong
    holds the row until another is entered. Five queries whatever the number."""
    current = BankAccount.objects.filter(retired_at__isnull=True)
    wrong = set(
        PaymentLine.objects.filter(
            batch__municipality_id=municipality_id,
            state=PaymentLine.State.RETURNED,
            returned_reason__in=ACCOUNT_WRONG,
        ).values_list("account_id", flat=True)
    )
    claims = (
        FacilityClaim.objects.filter(
            municipality_id=municipality_id,
            status=FacilityClaim.Status.APPROVED,
            approved_total__gt=0,
        )
        .exclude(_live("claim"))
        .select_related("facility")
        .prefetch_related(Prefetch("facility__bank_accounts", current, to_attr="current"))
        .order_by("facility__name", "month", "pk")
    )
    reimbursements = (
        Reimbursement.objects.filter(
            voucher__municipality_id=municipality_id,
            status=Reimbursement.Status.APPROVED,
            amount__gt=0,
        )
        .exclude(_live("reimbursement"))
        .select_related("voucher__mother", "bank_account")
        .prefetch_related(Prefetch("voucher__mother__bank_accounts", current, to_attr="current"))
        .order_by("decided_at", "pk")
    )
    rows = []
    for claim in claims:
        account = _current(claim.facility.current)
        payee = claim.facility.name
        rows.append(Owed(claim, None, payee, claim.approved_total, account, _held(account, wrong)))
    for item in reimbursements:
        mother = item.voucher.mother
        account = item.bank_account
        if account is None or account.retired_at is not None:
            account = _current(mother.current)
        rows.append(Owed(None, item, mother.name, item.amount, account, _held(account, wrong)))
    return rows


def new_codes(payable: list[Owed]) -> dict[int, str]:
    """新規コード per account id: 1 for the first transfer to a payee, 2 when a transfer went
    to the payee before to another account, 0 when one went to this account before (a
    returned transfer counts: the bank saw the account)."""
    paid = PaymentLine.objects.exclude(state=PaymentLine.State.SCHEDULED)
    accounts = set(paid.values_list("account_id", flat=True))
    facilities = set(paid.values_list("account__facility_id", flat=True))
    mothers = set(paid.values_list("account__mother_id", flat=True))
    codes = {}
    for row in payable:
        account = row.account
        if account.pk in accounts:
            codes[account.pk] = NewCode.OTHER
        elif account.facility_id in facilities or account.mother_id in mothers:
            codes[account.pk] = NewCode.CHANGED
        else:
            codes[account.pk] = NewCode.FIRST
    return codes


def paid_day(field: str) -> Subquery:
    """The 支払日 of the line that paid the row (``claim`` or ``reimbursement``), or None:
    ``claims.annotate(paid_on=paid_day("claim"))`` for a page that shows 支払済み."""
    lines = PaymentLine.objects.filter(**{field: OuterRef("pk")}, state=PaymentLine.State.PAID)
    return Subquery(lines.values("batch__pay_date")[:1])


# --- the staff office ---------------------------------------------------------------------------


def batches_visible_to(user: Any) -> QuerySet[PaymentBatch]:
    """Municipal staff see their municipality's batches; nobody else sees any."""
    if not (user.is_authenticated and user.is_municipal_staff):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.filter(municipality_id=user.municipality_id)


def batches_list(user: Any) -> QuerySet[PaymentBatch]:
    return batches_visible_to(user).order_by("-pay_date", "-pk")


def batch_for(user: Any, pk: int) -> PaymentBatch:
    """One batch with who acted on it, or 404."""
    rows = batches_visible_to(user).select_related(
        "municipality", "created_by", "locked_by", "paid_by", "originator_account"
    )
    return get_object_or_404(rows, pk=pk)


def lines_of(batch: PaymentBatch) -> list[PaymentLine]:
    """The batch's lines with their payee and account (one query)."""
    return list(
        batch.lines.select_related(
            "account", "claim__facility", "reimbursement__voucher__mother", "returned_by"
        ).order_by("pk")
    )


def line_for(batch: PaymentBatch, pk: int) -> PaymentLine:
    return get_object_or_404(batch.lines.select_related("account"), pk=pk)


def originator_of(municipality_id: int) -> Originator | None:
    return (
        Originator.objects.filter(municipality_id=municipality_id).select_related("account").first()
    )


# --- facilities' accounts -----------------------------------------------------------------------


def facilities_with_accounts(user: Any) -> list[Facility]:
    """The facilities contracted with the user's municipality (it pays them), each with
    ``account``: its current account or None (two queries)."""
    if not (user.is_authenticated and user.is_municipal_staff):
        return []
    current = BankAccount.objects.filter(retired_at__isnull=True).select_related("confirmed_by")
    facilities = (
        Facility.objects.filter(contracts__municipality_id=user.municipality_id)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("bank_accounts", current, to_attr="current"))
    )
    rows = list(facilities)
    for facility in rows:
        facility.account = _current(facility.current)
    return rows


def facility_for(user: Any, pk: int) -> Facility:
    """A facility the user's municipality pays (a contract with it), or 404."""
    if not (user.is_authenticated and user.is_municipal_staff):
        raise Http404
    rows = Facility.objects.filter(contracts__municipality_id=user.municipality_id).distinct()
    facility = get_object_or_404(rows, pk=pk)
    facility.account = BankAccount.objects.filter(
        facility=facility, retired_at__isnull=True
    ).first()
    return facility


def own_facility_account(user: Any) -> BankAccount | None:
    """The current account of the facility the user works at (the facility portal's page)."""
    if not (user.is_authenticated and user.role == user.Role.FACILITY and user.facility_id):
        return None
    current = BankAccount.objects.filter(facility_id=user.facility_id, retired_at__isnull=True)
    return current.select_related("confirmed_by").first()


def payee_of(user: Any, pk: int) -> Reimbursement:
    """A reimbursement of the user's municipality (404 otherwise) with ``account``: the
    account its payment goes to now (hers, current), or None — the staff page where a
    corrected account is entered after a returned transfer."""
    if not (user.is_authenticated and user.is_municipal_staff):
        raise Http404
    rows = reimbursements_visible_to(user).select_related("voucher__mother", "bank_account")
    item = get_object_or_404(rows, pk=pk)
    account = item.bank_account
    if account is None or account.retired_at is not None:
        mother = item.voucher.mother
        account = mother.bank_accounts.filter(retired_at__isnull=True).first()
    item.account = account
    return item
