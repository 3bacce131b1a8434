"""What a payment batch is built from, for tests: approved facility claims and reimbursements,
the payees' accounts (entered and confirmed through the banking services) and the
municipality's originator. A claim or reimbursement is put in its approved state directly:
the billing and reimbursement tests walk those steps; here they are only the input."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sango.accounts.models import User
from sango.banking.models import BankAccount
from sango.banking.services import (
    bank_account_confirm,
    bank_account_register,
    bank_account_validate,
)
from sango.billing.models import FacilityClaim
from sango.core.tests import factories as f
from sango.payments.models import Originator
from sango.payments.services import originator_save
from sango.reimbursements.models import Reimbursement

# Real banks and branches of the bank-code data: みずほ銀行 東京営業部, 中国銀行 総社.
MIZUHO = {"bank_code": "0001", "branch_code": "001"}
CHUGOKU_SOJA = {"bank_code": "0168", "branch_code": "191"}


def account(
    *,
    actor: User,
    confirmed: bool = True,
    number: str = "1234567",
    holder: str = "カネコ ジヨサンイン",
    bank: dict[str, str] | None = None,
    **owner,
) -> BankAccount:
    details = bank_account_validate(**(bank or MIZUHO), kind="1", number=number, holder=holder)
    created = bank_account_register(actor=actor, details=details, **owner)
    if confirmed:
        created = bank_account_confirm(account=created, actor=actor)
    return created


def approved_claim(
    *, slug: str = "kaneko-josanin", amount: int = 48000, month: date | None = None
) -> FacilityClaim:
    claim = f.facility_claim(slug=slug, month=month or date(2026, 4, 1))
    claim.status, claim.total, claim.approved_total = FacilityClaim.Status.APPROVED, amount, amount
    claim.reviewed_at = timezone.now()
    claim.save()
    return claim


def approved_reimbursement(
    *,
    clerk: User,
    boss: User,
    amount: int = 21000,
    with_account: bool = True,
    user: User | None = None,
    **account_args,
) -> Reimbursement:
    """A mother's 償還払い decided 支給 of ``amount`` yen, with her account (confirmed unless
    ``confirmed=False``); ``user`` signs in as her."""
    mother = f.mother_with_baby(born=f.days_ago(30), user=user)
    application = f.approved_application(mother=mother, grants={"stay": 5}, staff=clerk, boss=boss)
    claim = f.reimbursement(voucher=f.voucher_for(application), by=clerk)
    if with_account:
        claim.bank_account = account(
            actor=clerk, mother=mother, holder="ソウジャ ハナコ", number="7654321", **account_args
        )
    claim.status, claim.amount = Reimbursement.Status.APPROVED, amount
    claim.decided_by, claim.decided_at = boss, timezone.now()
    claim.save()
    return claim


def originator(*, actor: User) -> Originator:
    details = bank_account_validate(**CHUGOKU_SOJA, kind="1", number="0012345", holder="ソウジヤシ")
    return originator_save(actor=actor, details=details, code="1234567890", name="ソウジヤシ")
