"""償還払い: a mother used a facility with no contract (里帰り先, another prefecture), paid in full,
and claims back what the programme would have paid — never more than she paid. An approved
claim is recorded as a use, so it counts against the same caps as any other use.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for, require_approver
from sango.audit.services import audit_record
from sango.core.errors import InvalidState, ServiceError
from sango.programs.rules_for import rules_on
from sango.reimbursements.models import Reimbursement
from sango.usage.models import Use
from sango.usage.selectors import UseDetails
from sango.usage.services import use_judge, use_record
from sango.vouchers.models import Voucher

Status = Reimbursement.Status


@transaction.atomic
def reimbursement_submit(
    *,
    voucher: Voucher,
    actor: Any,
    facility_name: str,
    facility_address: str,
    service: str,
    amount_paid: int,
    day: date | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    quantity: int = 1,
    infants: int = 1,
    receipt_number: str = "",
) -> Reimbursement:
    """The receipt data a mother (or a clerk for her) hands in."""
    require_acts_for(
        actor,
        "この請求を出す権限がありません。",
        municipality_id=voucher.municipality_id,
        mother=voucher.mother,
    )
    if voucher.status == Voucher.Status.CANCELLED:
        raise InvalidState("中止された利用券では請求できません。")
    if day is None and start is None:
        raise ServiceError("利用日を入力してください。", field="day")
    day = day or timezone.localtime(start).date()
    rules = rules_on(voucher.municipality.code, day)
    if not rules.process.reimbursement.available:
        raise ServiceError(
            f"{day.isoformat()}の利用は償還払いの対象ではありません（制度の対象期間外です）。",
            field="day",
        )
    if amount_paid <= 0:
        raise ServiceError("支払った額を入力してください。", field="amount_paid")
    if quantity <= 0:
        raise ServiceError("数量は1以上です。", field="quantity")
    if start is not None or end is not None:
        # Nights (or hours) come from the times, as for any use: the amount paid is then
        # divided by them, not taken as the fee of a single unit.
        details = UseDetails(
            service=service, start=start, end=end, infants=infants, fee=amount_paid
        )
        quantity = use_judge(voucher=voucher, facility=None, details=details).quantity
    reimbursement = Reimbursement.objects.create(
        voucher=voucher,
        facility_name=facility_name,
        facility_address=facility_address,
        service=service,
        day=day,
        start=start,
        end=end,
        quantity=quantity,
        infants=infants,
        amount_paid=amount_paid,
        receipt_number=receipt_number,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="reimbursement.submit",
        target=reimbursement,
        application=voucher.application,
        municipality_id=voucher.municipality_id,
        after={"status": reimbursement.status, "amount_paid": amount_paid},
    )
    return reimbursement


@transaction.atomic
def reimbursement_approve(*, reimbursement: Reimbursement, actor: Any) -> Reimbursement:
    """支給決定: judged like a use at a facility without contract terms; the fee per unit is
    what was paid per unit, rounded down, so the payment never exceeds what was paid."""
    reimbursement = Reimbursement.objects.select_for_update().get(pk=reimbursement.pk)
    require_approver(actor, reimbursement.voucher.municipality_id)
    if reimbursement.status != Status.SUBMITTED:
        raise InvalidState("この請求はすでに決定済みです。")
    use = use_record(
        voucher_id=reimbursement.voucher_id,
        facility=None,
        actor=actor,
        idempotency_key=f"reimbursement:{reimbursement.pk}",
        service=reimbursement.service,
        day=None if reimbursement.start else reimbursement.day,
        start=reimbursement.start,
        end=reimbursement.end,
        quantity=None if reimbursement.start else reimbursement.quantity,
        infants=reimbursement.infants,
        fee=reimbursement.amount_paid // reimbursement.quantity,
        source=Use.Source.REIMBURSEMENT,
    )
    reimbursement.use = use
    reimbursement.amount = min(use.subsidy, reimbursement.amount_paid)
    reimbursement.status = Status.APPROVED
    reimbursement.decided_by, reimbursement.decided_at = actor, timezone.now()
    reimbursement.save()
    audit_record(
        actor=actor,
        action="reimbursement.approve",
        target=reimbursement,
        application=reimbursement.voucher.application,
        municipality_id=reimbursement.voucher.municipality_id,
        before={"status": Status.SUBMITTED},
        after={"status": reimbursement.status, "amount": reimbursement.amount, "use": use.pk},
    )
    return reimbursement


@transaction.atomic
def reimbursement_reject(*, reimbursement: Reimbursement, actor: Any, reason: str) -> Reimbursement:
    """不支給, with the reason."""
    reimbursement = Reimbursement.objects.select_for_update().get(pk=reimbursement.pk)
    require_approver(actor, reimbursement.voucher.municipality_id)
    if reimbursement.status != Status.SUBMITTED:
        raise InvalidState("この請求はすでに決定済みです。")
    if not reason.strip():
        raise ServiceError("不支給の理由を入力してください。", field="reason")
    reimbursement.status = Status.REJECTED
    reimbursement.rejection_reason = reason
    reimbursement.decided_by, reimbursement.decided_at = actor, timezone.now()
    reimbursement.save()
    audit_record(
        actor=actor,
        action="reimbursement.reject",
        target=reimbursement,
        application=reimbursement.voucher.application,
        municipality_id=reimbursement.voucher.municipality_id,
        before={"status": Status.SUBMITTED},
        after={"status": reimbursement.status},
    )
    return reimbursement
