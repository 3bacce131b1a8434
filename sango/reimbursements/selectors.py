"""Reading 償還払い claims for a mother: the voucher she claims under and her claims, always
through ``sango.accounts.access`` so that nothing of another mother is reached."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sango.accounts.access import reimbursements_visible_to, vouchers_visible_to
from sango.banking.models import BankAccount
from sango.payments.selectors import paid_day
from sango.reimbursements.models import Reimbursement
from sango.vouchers.models import Voucher


def claim_voucher_of(user: Any) -> Voucher | None:
    """The voucher (利用券, from an approved application) she claims under: her newest one
    not cancelled — an expired one still covers the days of its period."""
    rows = vouchers_visible_to(user).filter(kind=Voucher.Kind.VOUCHER, application__isnull=False)
    rows = rows.exclude(status=Voucher.Status.CANCELLED)
    return rows.select_related("municipality", "mother").order_by("-issued_at", "-pk").first()


def claims_of(user: Any) -> QuerySet[Reimbursement]:
    """Her claims, newest first, each with ``paid_on``: the day it was paid, or None."""
    rows = reimbursements_visible_to(user).select_related("voucher__municipality")
    return rows.annotate(paid_on=paid_day("reimbursement"))


def claim_of(user: Any, pk: int) -> Reimbursement | None:
    """One of her claims with its account and receipts; None when it is not hers."""
    rows = claims_of(user).select_related("bank_account").prefetch_related("uploads")
    return rows.filter(pk=pk).first()


def last_account_of(voucher: Voucher) -> BankAccount | None:
    """The account she gave last (not changed since), to start her next claim from."""
    return BankAccount.objects.filter(mother_id=voucher.mother_id, retired_at__isnull=True).first()
