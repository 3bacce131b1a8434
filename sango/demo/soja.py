"""総社市: pre-application with an intake interview (事前申請・聞き取り調査).

Applications in every state, provisional bookings confirmed or released, last month's uses at
several facilities (with a correction and a void), out-of-area reimbursements and the monthly
facility claims. Fees are invented: the city's list does not print the facilities' fees.
"""

from __future__ import annotations

from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import Application, ChangeRequest, TierBasis
from sango.applications.services import application_reject, applications_expire
from sango.billing.models import RejectionReason
from sango.billing.services import (
    claim_approve,
    claim_generate,
    claim_line_review,
    claim_submit,
)
from sango.bookings.services import booking_cancel
from sango.demo import payments, steps
from sango.demo.context import Demo, facility
from sango.demo.steps import SOJA
from sango.municipalities.models import Municipality
from sango.reimbursements.services import reimbursement_approve, reimbursement_submit
from sango.usage.services import use_correct, use_void

KANEKO, KUNITOMI, KAWASAKI = "kaneko-josanin", "kunitomi-clinic", "kawasaki-medical-school-hospital"
HANADA = "hanada-josanin"
REJECTION_REASON = (
    "聞き取り調査の結果、医療の必要があると認められたため（医療機関での治療が優先されます）。"
    "回復後にあらためてご相談ください。"
)


def build(demo: Demo) -> None:
    """Every 総社市 case, then the facilities' claims for last month, then their payment."""
    _hanako(demo)
    _twins(demo)
    _temporary_return(demo)
    _out_of_area(demo)
    _changed(demo)
    _welfare(demo)
    _cancelled(demo)
    _expired(demo)
    _rejected(demo)
    _interviewed(demo)
    _certificate_pending(demo)
    _submitted(demo)
    _draft(demo)
    _claims(demo)
    payments.build(demo)


# --- the cases --------------------------------------------------------------------------------


def _hanako(demo: Demo) -> None:
    """Approved; a stay, a visit and a day at かねこ助産院 — the day's fee corrected."""
    application = steps.new_application(
        demo,
        "hanako",
        user=demo.users["hanako"],
        requested={"stay": 3, "day": 2, "visit": 2},
        facility_id=facility(KANEKO).pk,
    )
    steps.book(demo, application, KANEKO, "stay", demo.day(3), demo.day(5), "kaneko")
    day = steps.book(demo, application, KANEKO, "day", demo.day(18), demo.day(18), "kaneko")
    voucher = steps.walk_to_approval(
        demo, application, "taxable", {"stay": 3, "day": 2, "visit": 2}
    )
    booking_cancel(booking=day, actor=demo.users["hanako"])  # she moved the day to the 20th
    kaneko = demo.users["kaneko"]
    demo.use(voucher, KANEKO, kaneko, service="stay", day=demo.day(3), quantity=2, fee=30000)
    demo.use(voucher, KANEKO, kaneko, service="visit", day=demo.day(12), quantity=1, fee=8000)
    wrong = demo.use(
        voucher, KANEKO, kaneko, service="day", day=demo.day(20), quantity=1, fee=15000
    )
    use_correct(use=wrong, actor=kaneko, reason="料金の入力誤り（通所型は12,000円）", fee=12000)


def _twins(demo: Demo) -> None:
    """Approved (twins, 非課税); stay and day at 川崎医科大学附属病院 with both babies."""
    application = steps.new_application(
        demo, "twins", requested={"stay": 4, "day": 2}, facility_id=facility(KAWASAKI).pk
    )
    steps.book(
        demo,
        application,
        KAWASAKI,
        "stay",
        demo.day(6),
        demo.day(8),
        "kawasaki",
        note="双子（母と乳児2人）",
    )
    voucher = steps.walk_to_approval(demo, application, "tax_exempt", {"stay": 4, "day": 2})
    kawasaki = demo.users["kawasaki"]
    demo.use(
        voucher,
        KAWASAKI,
        kawasaki,
        service="stay",
        day=demo.day(6),
        quantity=2,
        infants=2,
        fee=42000,
    )
    demo.use(
        voucher,
        KAWASAKI,
        kawasaki,
        service="day",
        day=demo.day(22),
        quantity=1,
        infants=2,
        fee=18000,
    )


def _temporary_return(demo: Demo) -> Application:
    """Approved 里帰り (tier by the home municipality's certificate); a change pending."""
    application = steps.new_application(
        demo,
        "return",
        residence=Application.Residence.TEMPORARY_RETURN,
        home_municipality="大阪府吹田市",
        requested={"day": 3, "visit": 3},
        facility_id=facility(KANEKO).pk,
    )
    voucher = steps.walk_to_approval(
        demo, application, "taxable", {"day": 3, "visit": 3}, basis=TierBasis.CERTIFICATE
    )
    kaneko = demo.users["kaneko"]
    demo.use(voucher, KANEKO, kaneko, service="visit", day=demo.day(9), quantity=1, fee=8000)
    demo.use(voucher, KANEKO, kaneko, service="day", day=demo.day(16), quantity=1, fee=12000)
    change_request_submit(
        application=application,
        actor=demo.users["soja-clerk"],
        kind=ChangeRequest.Kind.CHANGE,
        grants={"visit": 5},
        reason="授乳指導の訪問をあと2回希望",
    )
    return application


def _out_of_area(demo: Demo) -> None:
    """Approved; she stayed with her parents in 兵庫県 and used a facility there (償還払い)."""
    application = steps.new_application(demo, "out_of_area", requested={"stay": 3, "day": 2})
    voucher = steps.walk_to_approval(demo, application, "tax_exempt", {"stay": 3, "day": 2})
    clerk = demo.users["soja-clerk"]
    where = {
        "facility_name": "（架空）しらさぎ産後ケアハウス",
        "facility_address": "兵庫県姫路市（架空）",
    }
    stay = reimbursement_submit(
        voucher=voucher,
        actor=clerk,
        service="stay",
        day=demo.day(4),
        quantity=2,
        amount_paid=76000,
        receipt_number="DEMO-0001",
        **where,
    )
    reimbursement_approve(reimbursement=stay, actor=demo.users["soja-approver"])
    reimbursement_submit(
        voucher=voucher,
        actor=clerk,
        service="day",
        day=demo.day(15),
        quantity=1,
        amount_paid=16000,
        receipt_number="DEMO-0002",
        **where,
    )


def _changed(demo: Demo) -> None:
    """Approved for 2 nights at くにとみクリニック, changed to 4 nights and 2 days; a duplicate
    day entry voided."""
    application = steps.new_application(
        demo, "changed", requested={"stay": 2}, facility_id=facility(KUNITOMI).pk
    )
    steps.book(
        demo,
        application,
        KUNITOMI,
        "stay",
        demo.day(5),
        demo.day(7),
        "soja-clerk",
        note="こども課から連絡",
    )
    voucher = steps.walk_to_approval(demo, application, "taxable", {"stay": 2})
    kunitomi = demo.users["kunitomi"]
    demo.use(voucher, KUNITOMI, kunitomi, service="stay", day=demo.day(5), quantity=2, fee=28000)
    change = change_request_submit(
        application=application,
        actor=demo.users["soja-clerk"],
        kind=ChangeRequest.Kind.CHANGE,
        grants={"stay": 4, "day": 2},
        reason="睡眠不足が続き、追加の休息が必要",
    )
    change_request_decide(change=change, actor=demo.users["soja-approver"], approve=True)
    demo.use(voucher, KUNITOMI, kunitomi, service="day", day=demo.day(24), quantity=1, fee=10000)
    twice = demo.use(
        voucher, KUNITOMI, kunitomi, service="day", day=demo.day(24), quantity=1, fee=10000
    )
    use_void(use=twice, actor=kunitomi, reason="同じ利用の二重登録")


def _welfare(demo: Demo) -> None:
    """Approved (生活保護): visits by 花田助産院, entered by こども課 from its paper report."""
    application = steps.new_application(
        demo, "welfare", requested={"visit": 4}, facility_id=facility(HANADA).pk
    )
    voucher = steps.walk_to_approval(demo, application, "welfare", {"visit": 4})
    clerk = demo.users["soja-clerk"]
    for n in (8, 15, 23):
        demo.use(voucher, HANADA, clerk, service="visit", day=demo.day(n), quantity=1, fee=9000)


def _cancelled(demo: Demo) -> None:
    """Approved with a confirmed booking, then stopped by a 利用中止 request."""
    application = steps.new_application(
        demo, "cancelled", requested={"stay": 2}, facility_id=facility(KANEKO).pk
    )
    steps.book(demo, application, KANEKO, "stay", demo.ahead(6), demo.ahead(8), "kaneko")
    steps.walk_to_approval(demo, application, "taxable", {"stay": 2})
    change = change_request_submit(
        application=application,
        actor=demo.users["soja-clerk"],
        kind=ChangeRequest.Kind.CANCEL,
        reason="実家の母の支援が得られるようになったため",
    )
    change_request_decide(change=change, actor=demo.users["soja-approver"], approve=True)


def _expired(demo: Demo) -> None:
    """Approved for two months after the birth at her request; one day used; then expired by
    the nightly batch (applications_expire)."""
    application = steps.new_application(
        demo, "expired", requested={"day": 2, "visit": 2}, facility_id=facility(KANEKO).pk
    )
    delivery = application.mother.delivery_date
    voucher = steps.walk_to_approval(
        demo, application, "taxable", {"day": 2, "visit": 2}, valid_until=steps.after(delivery, 60)
    )
    demo.use(
        voucher,
        KANEKO,
        demo.users["kaneko"],
        service="day",
        day=steps.after(delivery, 30),
        quantity=1,
        fee=12000,
    )
    applications_expire(today=demo.today)


def _rejected(demo: Demo) -> None:
    """Rejected after the interview found a need for medical care; the booking released."""
    application = steps.new_application(
        demo, "rejected", requested={"stay": 3}, facility_id=facility(KAWASAKI).pk
    )
    steps.book(demo, application, KAWASAKI, "stay", demo.ahead(10), demo.ahead(13), "kawasaki")
    steps.submit(demo, application, demo.ago(9))
    steps.verify_tier(demo, application, "taxable")
    steps.interview(
        demo,
        application,
        demo.ago(7),
        method="in_person",
        exclusions=["medical_care_needed"],
        assessment="産後の出血が続いており、受診を優先するよう助言",
    )
    application_reject(
        application=application, actor=demo.users["soja-approver"], reason=REJECTION_REASON
    )


def _interviewed(demo: Demo) -> None:
    """Interviewed and tier confirmed: ready for the approver; a stay held at かねこ助産院."""
    application = steps.new_application(
        demo, "interviewed", requested={"stay": 2, "visit": 2}, facility_id=facility(KANEKO).pk
    )
    steps.book(demo, application, KANEKO, "stay", demo.ahead(5), demo.ahead(7), "kaneko")
    steps.submit(demo, application, demo.ago(4))
    steps.verify_tier(demo, application, "tax_exempt")
    steps.interview(
        demo,
        application,
        demo.ago(2),
        method="in_person",
        assessment="夜間の授乳で睡眠が取れず、休息が必要",
    )


def _certificate_pending(demo: Demo) -> None:
    """Interviewed; she moved in this year, so the city waits for her 世帯所得証明書."""
    application = steps.new_application(demo, "certificate", requested={"day": 3})
    steps.submit(demo, application, demo.ago(3))
    steps.interview(demo, application, demo.ago(1), assessment="転入後で身近に相談できる人がいない")
    steps.verify_tier(demo, application, "tax_exempt", TierBasis.PENDING)


def _submitted(demo: Demo) -> None:
    """Received yesterday, interview still to do; a day held at くにとみクリニック."""
    application = steps.new_application(
        demo, "submitted", requested={"day": 2}, facility_id=facility(KUNITOMI).pk
    )
    steps.book(
        demo,
        application,
        KUNITOMI,
        "day",
        demo.ahead(9),
        demo.ahead(9),
        "soja-clerk",
        note="こども課から連絡",
    )
    steps.submit(demo, application, demo.ago(1))


def _draft(demo: Demo) -> None:
    """Being entered by the clerk: not yet received."""
    steps.new_application(demo, "draft", requested={"visit": 3})


def _claims(demo: Demo) -> None:
    """Last month's claims: かねこ助産院 approved with one line returned, くにとみクリニック
    submitted and waiting for review, 川崎医科大学附属病院 still a draft."""
    soja = Municipality.objects.get(code=SOJA)
    kaneko = demo.users["kaneko"]
    claim = claim_generate(
        facility=kaneko.facility, municipality=soja, month=demo.month, actor=kaneko
    )
    claim_submit(claim=claim, actor=kaneko)
    clerk = demo.users["soja-clerk"]
    for line in claim.lines.select_related("use").order_by("use__day", "id"):
        if line.use.service == "visit" and line.use.voucher.application.residence != "resident":
            claim_line_review(
                line=line,
                actor=clerk,
                accept=False,
                reason=RejectionReason.MISSING_RECORD,
                note="訪問の実施記録票が添付されていません",
            )
        else:
            claim_line_review(line=line, actor=clerk, accept=True)
    claim_approve(claim=claim, actor=demo.users["soja-approver"])
    kunitomi = demo.users["kunitomi"]
    submitted = claim_generate(
        facility=kunitomi.facility, municipality=soja, month=demo.month, actor=kunitomi
    )
    claim_submit(claim=submitted, actor=kunitomi)
    kawasaki = demo.users["kawasaki"]
    claim_generate(facility=kawasaki.facility, municipality=soja, month=demo.month, actor=kawasaki)
