"""A known month for the statistics tests: 総社市, 令和8年度 (FY2026), built through the services.

Mother A (課税世帯 ``taxable``, baby born 1 March 2026), application received 1 April, approved
3 April. At かねこ助産院: a 1-night stay on 10 May (30,000円 → 市 17,000円), a 2-night stay on
20 May (市 34,000円), a day on 15 May at 10,000円 corrected to 9,000円 (市 7,000円, counted once);
at さくらんぼ助産院 a day on 25 May, voided (not counted), and a 1-night stay on 3 June
(市 17,000円).

Mother B (非課税世帯 ``tax_exempt``, baby born 15 January 2026), received 20 April, approved
27 April from 1 May: a day at かねこ助産院 on 12 May at 10,000円 (市 10,000円: the share is
capped at the fee), and an out-of-area stay on 1 May reimbursed (paid 35,000円 → 21,500円).

Mother C: received 7 May, rejected 8 May. かねこ助産院's May claim is approved in full.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sango.applications.services import application_reject
from sango.billing.services import claim_approve, claim_generate, claim_line_review, claim_submit
from sango.core.tests import factories as f
from sango.reimbursements.services import reimbursement_approve
from sango.usage.services import use_correct, use_record, use_void

KANEKO, SAKURANBO = "kaneko-josanin", "sakuranbo-josanin"


def use(voucher, slug: str, day: date, service: str, fee: int, quantity: int = 1):
    staff = f.facility_staff(slug)
    return use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=f"{voucher.pk}:{day}:{service}",
        service=service,
        day=day,
        quantity=quantity,
        fee=fee,
    )


def known_month() -> SimpleNamespace:
    clerk, boss = f.clerk(), f.approver()
    a = f.mother_with_baby(born=date(2026, 3, 1))
    with f.frozen_now(f.at(date(2026, 4, 3), 10)):
        app_a = f.approved_application(
            mother=a,
            grants={"stay": 7, "day": 7},
            submitted_at=f.at(date(2026, 4, 1), 9),
            staff=clerk,
            boss=boss,
        )
    b = f.mother_with_baby(born=date(2026, 1, 15))
    with f.frozen_now(f.at(date(2026, 4, 27), 15)):
        app_b = f.approved_application(
            mother=b,
            grants={"stay": 7, "day": 7},
            tier="tax_exempt",
            submitted_at=f.at(date(2026, 4, 20), 11),
            valid_from=date(2026, 5, 1),
            staff=clerk,
            boss=boss,
        )
    c = f.mother_with_baby(born=date(2026, 4, 2))
    with f.frozen_now(f.at(date(2026, 5, 8), 16)):
        app_c = f.interviewed_application(
            mother=c, staff=clerk, submitted_at=f.at(date(2026, 5, 7), 10)
        )
        application_reject(application=app_c, actor=boss, reason="医療機関での対応が適当")
    va, vb = f.voucher_for(app_a), f.voucher_for(app_b)
    use(va, KANEKO, date(2026, 5, 10), "stay", 30000)
    use(va, KANEKO, date(2026, 5, 20), "stay", 30000, quantity=2)
    wrong = use(va, KANEKO, date(2026, 5, 15), "day", 10000)
    use_correct(use=wrong, actor=clerk, reason="料金の誤り", fee=9000)
    void = use(va, SAKURANBO, date(2026, 5, 25), "day", 8000)
    use_void(use=void, actor=clerk, reason="二重の記録")
    use(va, SAKURANBO, date(2026, 6, 3), "stay", 30000)
    use(vb, KANEKO, date(2026, 5, 12), "day", 10000)
    refund = f.reimbursement(voucher=vb, by=clerk, amount_paid=35000)
    reimbursement_approve(reimbursement=refund, actor=boss)
    staff = f.facility_staff(KANEKO)
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    claim_submit(claim=claim, actor=staff)
    for line in claim.lines.all():
        claim_line_review(line=line, actor=clerk, accept=True)
    claim_approve(claim=claim, actor=boss)
    return SimpleNamespace(clerk=clerk, boss=boss, mothers=(a, b, c), claim=claim)
