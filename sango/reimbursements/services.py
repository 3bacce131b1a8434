"""償還払い: a mother used a facility with no contract (里帰り先, another prefecture), paid in full,
and claims back what the programme would have paid — never more than she paid. An approved
claim is recorded as a use, so it counts against the same caps as any other use.

What approval pays is worked out in one place (``_use_details`` and ``_payable``), used both by
``reimbursement_preview`` — the amount a mother sees before she sends her claim — and by
``reimbursement_approve``, which records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.duties import prepared_by_decider
from sango.accounts.roles import require_acts_for, require_approver
from sango.audit.services import audit_record
from sango.banking.models import BankAccount
from sango.banking.services import AccountDetails, bank_account_register
from sango.core.errors import InvalidState, ServiceError
from sango.notifications.events.reimbursements import reimbursement_decided
from sango.programs.rules_for import rules_on
from sango.reimbursements.models import Reimbursement
from sango.uploads.models import Upload
from sango.usage.models import Use
from sango.usage.selectors import UseDetails
from sango.usage.services import use_judge, use_record
from sango.vouchers.models import Voucher

Status = Reimbursement.Status


@dataclass(frozen=True)
class Claimed:
    """What the receipt says of the use: ``amount_paid`` in yen for the whole stay or visit,
    ``quantity`` in the service's unit (derived from ``start``/``end`` when they are given)."""

    service: str
    day: date
    quantity: int
    amount_paid: int
    infants: int = 1
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Preview:
    """What approval would pay (yen), judged now; ``reasons`` (the rules core's, in the
    programme's words) when the rules say no, and then ``amount`` is 0."""

    quantity: int
    amount: int
    subsidy: int = 0
    copay: int = 0
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _use_details(claimed: Claimed) -> UseDetails:
    """The use approval records: by its times where given, else by day and quantity, at a fee
    per unit of what was paid per unit — rounded down, so the programme never pays more than
    she paid (the facility had no contract fee)."""
    return UseDetails(
        service=claimed.service,
        day=None if claimed.start else claimed.day,
        start=claimed.start,
        end=claimed.end,
        quantity=None if claimed.start else claimed.quantity,
        infants=claimed.infants,
        fee=claimed.amount_paid // claimed.quantity,
    )


def _payable(subsidy: int, amount_paid: int) -> int:
    """支給額: the programme's share, never more than was paid (yen)."""
    return min(subsidy, amount_paid)


def reimbursement_check_day(*, voucher: Voucher, day: date) -> None:
    """A ServiceError on ``day`` unless the programme version in force that day offers
    償還払い (総社市: from 令和7年4月)."""
    rules = rules_on(voucher.municipality.code, day)
    if not rules.process.reimbursement.available:
        raise ServiceError(
            f"{day.isoformat()}の利用は償還払いの対象ではありません（制度の対象期間外です）。",
            field="day",
        )


def _quantity(
    voucher: Voucher,
    service: str,
    start: datetime | None,
    end: datetime | None,
    infants: int,
    amount_paid: int,
    quantity: int,
) -> int:
    """Nights (or hours) come from the times, as for any use: the amount paid is then divided
    by them, not taken as the fee of a single unit."""
    if start is None and end is None:
        return quantity
    details = UseDetails(service=service, start=start, end=end, infants=infants, fee=amount_paid)
    return use_judge(voucher=voucher, facility=None, details=details).quantity


def _claimed(
    voucher: Voucher,
    *,
    service: str,
    amount_paid: int,
    day: date | None,
    start: datetime | None,
    end: datetime | None,
    quantity: int,
    infants: int,
) -> Claimed:
    """The receipt's figures checked and completed (the day from the start, the quantity from
    the times), or a ServiceError on the field that is wrong."""
    if voucher.status == Voucher.Status.CANCELLED:
        raise InvalidState("中止された利用券では請求できません。")
    if day is None and start is None:
        raise ServiceError("利用日を入力してください。", field="day")
    day = day or timezone.localtime(start).date()
    reimbursement_check_day(voucher=voucher, day=day)
    if amount_paid <= 0:
        raise ServiceError("支払った額を入力してください。", field="amount_paid")
    if quantity <= 0:
        raise ServiceError("数量は1以上です。", field="quantity")
    quantity = _quantity(voucher, service, start, end, infants, amount_paid, quantity)
    return Claimed(
        service=service,
        day=day,
        quantity=quantity,
        amount_paid=amount_paid,
        infants=infants,
        start=start,
        end=end,
    )


def reimbursement_preview(
    *,
    voucher: Voucher,
    service: str,
    amount_paid: int,
    day: date | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    quantity: int = 1,
    infants: int = 1,
) -> Preview:
    """What ``reimbursement_approve`` would pay for this claim if it were decided now (the
    caps count what she has used by then), saving nothing. A ServiceError as for submitting."""
    claimed = _claimed(
        voucher,
        service=service,
        amount_paid=amount_paid,
        day=day,
        start=start,
        end=end,
        quantity=quantity,
        infants=infants,
    )
    return _judged(voucher, claimed)


def reimbursement_preview_of(*, reimbursement: Reimbursement) -> Preview:
    """What approving this submitted claim would pay now (shown to the approver before the
    decision), saving nothing."""
    return _judged(reimbursement.voucher, _claimed_of(reimbursement))


def _judged(voucher: Voucher, claimed: Claimed) -> Preview:
    result = use_judge(voucher=voucher, facility=None, details=_use_details(claimed))
    if not result.eligible:
        return Preview(
            quantity=claimed.quantity, amount=0, reasons=[r.as_dict() for r in result.reasons]
        )
    return Preview(
        quantity=claimed.quantity,
        amount=_payable(result.subsidy, claimed.amount_paid),
        subsidy=result.subsidy,
        copay=result.copay,
    )


def _claimed_of(reimbursement: Reimbursement) -> Claimed:
    return Claimed(
        service=reimbursement.service,
        day=reimbursement.day,
        quantity=reimbursement.quantity,
        amount_paid=reimbursement.amount_paid,
        infants=reimbursement.infants,
        start=reimbursement.start,
        end=reimbursement.end,
    )


def _check_receipts(voucher: Voucher, receipts: Sequence[Upload]) -> None:
    for receipt in receipts:
        if (
            receipt.mother_id != voucher.mother_id
            or receipt.kind != Upload.Kind.RECEIPT
            or receipt.reimbursement_id is not None
        ):
            raise ServiceError("領収書の写真が正しくありません。", field="receipts")


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
    account: AccountDetails | None = None,
    receipts: Sequence[Upload] = (),
) -> Reimbursement:
    """The receipt data a mother (or a clerk for her) hands in; with the account to pay into
    (checked by ``bank_account_validate``), kept as hers from now on, and the photos of the
    receipt she uploaded (``upload_store``, kind RECEIPT), which become this claim's."""
    require_acts_for(
        actor,
        "この請求を出す権限がありません。",
        municipality_id=voucher.municipality_id,
        mother=voucher.mother,
    )
    claimed = _claimed(
        voucher,
        service=service,
        amount_paid=amount_paid,
        day=day,
        start=start,
        end=end,
        quantity=quantity,
        infants=infants,
    )
    _check_receipts(voucher, receipts)
    bank_account: BankAccount | None = None
    if account is not None:
        bank_account = bank_account_register(actor=actor, details=account, mother=voucher.mother)
    reimbursement = Reimbursement.objects.create(
        voucher=voucher,
        facility_name=facility_name,
        facility_address=facility_address,
        service=service,
        day=claimed.day,
        start=start,
        end=end,
        quantity=claimed.quantity,
        infants=infants,
        amount_paid=amount_paid,
        receipt_number=receipt_number,
        bank_account=bank_account,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    Upload.objects.filter(pk__in=[r.pk for r in receipts]).update(reimbursement=reimbursement)
    audit_record(
        actor=actor,
        action="reimbursement.submit",
        target=reimbursement,
        application=voucher.application,
        municipality_id=voucher.municipality_id,
        after={
            "status": reimbursement.status,
            "amount_paid": amount_paid,
            "receipts": len(receipts),
            "bank_account": bank_account.pk if bank_account else None,
        },
    )
    return reimbursement


@transaction.atomic
def reimbursement_approve(*, reimbursement: Reimbursement, actor: Any) -> Reimbursement:
    """支給決定: judged like a use at a facility without contract terms (``_use_details``), paid
    ``_payable`` — the same figures ``reimbursement_preview`` showed the mother."""
    reimbursement = Reimbursement.objects.select_for_update().get(pk=reimbursement.pk)
    require_approver(actor, reimbursement.voucher.municipality_id)
    if reimbursement.status != Status.SUBMITTED:
        raise InvalidState("この請求はすでに決定済みです。")
    prepared = _entered_by(actor, reimbursement)
    use = use_record(
        voucher_id=reimbursement.voucher_id,
        facility=None,
        actor=actor,
        idempotency_key=f"reimbursement:{reimbursement.pk}",
        source=Use.Source.REIMBURSEMENT,
        **asdict(_use_details(_claimed_of(reimbursement))),
    )
    reimbursement.use = use
    reimbursement.amount = _payable(use.subsidy, reimbursement.amount_paid)
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
        after={
            "status": reimbursement.status,
            "amount": reimbursement.amount,
            "use": use.pk,
            "prepared_by_decider": prepared,
        },
    )
    reimbursement_decided(reimbursement=reimbursement)
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
    prepared = _entered_by(actor, reimbursement)
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
        after={"status": reimbursement.status, "prepared_by_decider": prepared},
    )
    reimbursement_decided(reimbursement=reimbursement)
    return reimbursement


def _entered_by(actor: Any, reimbursement: Reimbursement) -> bool:
    """Whether ``actor`` entered the claim for her (see accounts.duties)."""
    return prepared_by_decider(
        actor, [reimbursement.submitted_by_id], "請求を受け付けた職員は、同じ請求を決定できません。"
    )
