"""総社市's money: the city's originator account, かねこ助産院's account handed in by the
facility and confirmed by the clerk, a batch paid today (last month's approved claim), a batch
for next week still 作成中 (the approved 償還払い, once her account was confirmed), this fiscal
year's budget for the statistics page, and a what-if draft to price (宿泊を10泊に)."""

from __future__ import annotations

from sango.banking.services import bank_account_confirm, bank_account_register
from sango.banking.services import bank_account_validate as account
from sango.core.wareki import fiscal_year
from sango.demo.context import Demo
from sango.payments.services import batch_build, batch_lock, batch_mark_paid, originator_save
from sango.programs.whatif import whatif_demo_draft
from sango.reimbursements.models import Reimbursement
from sango.reports.services import budget_set


def build(demo: Demo) -> None:
    clerk, boss, kaneko = (
        demo.users["soja-clerk"],
        demo.users["soja-approver"],
        demo.users["kaneko"],
    )
    city = account(
        bank_code="0168", branch_code="191", kind="1", number="0012345", holder="ソウジヤシ"
    )
    originator_save(actor=clerk, details=city, code="3320890001", name="ソウジヤシ")
    facility = bank_account_register(
        actor=kaneko,
        details=account(
            bank_code="0168",
            branch_code="191",
            kind="1",
            number="1234567",
            holder="カネコ ジヨサンイン",
        ),
        facility=kaneko.facility,
    )
    bank_account_confirm(account=facility, actor=clerk)

    paid = batch_build(actor=clerk, pay_date=demo.today)
    batch_lock(actor=boss, batch=paid, count=paid.count, total=paid.total)
    batch_mark_paid(actor=clerk, batch=paid)

    # Her account, from the passbook copy she sent with her 償還払い, checked by the clerk.
    claim = Reimbursement.objects.select_related("voucher__mother").get(
        voucher__municipality=clerk.municipality, status=Reimbursement.Status.APPROVED
    )
    mother = claim.voucher.mother
    details = account(
        bank_code="9900", branch_code="458", kind="1", number="1234568", holder=mother.name_kana
    )
    mine = bank_account_register(actor=clerk, details=details, mother=mother)
    bank_account_confirm(account=mine, actor=clerk)
    batch_build(actor=clerk, pay_date=demo.ahead(7))

    # 令和X年度 当初予算 (invented): what the statistics page burns the subsidies against.
    budget_set(
        actor=clerk,
        municipality_id=clerk.municipality_id,
        fiscal_year=fiscal_year(demo.today),
        amount=3_600_000,
    )
    whatif_demo_draft(actor=clerk)
