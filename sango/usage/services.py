"""Recording uses at facilities: judged by the rules core under the version in force on the day
of service, counted against caps that hold under concurrency, idempotent under retries.

Concurrency: every write for one voucher first locks the voucher row (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite takes its write lock when the transaction begins). The second of two
facilities recording at the same moment waits, then sees the first use in ``used`` — so a cap
can never be exceeded. Idempotency: a (facility, key) pair is unique; a retry with the same key
returns the use already recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.audit.services import audit_record
from sango.core.errors import InvalidState, Refused, ServiceError
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.programs.rules_for import program_for
from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.usage.models import Use
from sango.usage.selectors import UseDetails, use_request_for
from sango.vouchers.models import Voucher


def _day_of(day: date | None, start: datetime | None) -> date:
    if day is not None:
        return day
    if start is None:
        raise ServiceError("利用日か開始日時を入力してください。", field="day")
    return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()


def use_judge(
    *,
    voucher: Voucher,
    facility: Facility | None,
    details: UseDetails,
) -> Result:
    """What the rules core says of this use now, without saving anything."""
    day = _day_of(details.day, details.start)
    program = program_for(voucher.municipality.code)
    rules = program.version_on(day)
    if rules is None:
        raise ServiceError(f"{day.isoformat()}に有効な制度がありません。", field="day")
    # An expired voucher still covers the days of its period (a late record, a reimbursement);
    # only a cancelled one covers nothing more.
    if voucher.status == Voucher.Status.CANCELLED:
        raise InvalidState(
            f"この{voucher.get_kind_display()}は{voucher.get_status_display()}です。"
        )
    if voucher.mother.delivery_date is None:
        raise ServiceError(
            "出生日が登録されていません。先に出生を登録してください。", field="birth_date"
        )
    if day < voucher.valid_from or (voucher.valid_until is not None and day > voucher.valid_until):
        raise Refused(
            "利用日が有効期間の外です。",
            [{"code": "outside_voucher_period", "message": "利用日が有効期間の外です。"}],
        )
    request = use_request_for(
        voucher=voucher,
        rules=rules,
        details=details,
        day=day,
        facility_slug=facility.slug if facility else None,
    )
    try:
        return evaluate(program, request, explain=False)
    except RequestError as exc:
        raise ServiceError(exc.message, field=exc.field) from None


def use_record(
    *,
    voucher_id: int,
    facility: Facility | None,
    actor: Any,
    idempotency_key: str,
    service: str,
    day: date | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    quantity: int | None = None,
    infants: int = 1,
    fee: int | None = None,
    extras: int = 0,
    own_patient: bool | None = None,
    mother_present: bool = True,
    source: str = Use.Source.FACILITY,
    corrects: Use | None = None,
) -> Use:
    """Record one use. Raises ``Refused`` with every reason when the rules say no."""
    if not idempotency_key:
        raise ServiceError("再送キー（idempotency key）が必要です。", field="idempotency_key")
    _require_recorder(actor, facility, voucher_id)
    if _day_of(day, start) > timezone.localdate():
        raise ServiceError("まだ来ていない日の利用は記録できません。", field="day")
    existing = _recorded_with(facility, idempotency_key, voucher_id)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            voucher = _lock_mother_and_voucher(voucher_id)
            # A retry that waited for the lock behind its own original finds it here.
            existing = _recorded_with(facility, idempotency_key, voucher_id)
            if existing is not None:
                return existing
            details = UseDetails(
                service=service,
                day=day,
                start=start,
                end=end,
                quantity=quantity,
                infants=infants,
                fee=fee,
                extras=extras,
                own_patient=own_patient,
                mother_present=mother_present,
            )
            result = use_judge(voucher=voucher, facility=facility, details=details)
            if not result.eligible:
                reasons = [r.as_dict() for r in result.reasons]
                raise Refused("この利用は助成の対象になりません。", reasons)
            use = Use.objects.create(
                voucher=voucher,
                municipality_id=voucher.municipality_id,
                facility=facility,
                source=source,
                service=result.service,
                day=_day_of(day, start),
                start=start,
                end=end,
                quantity=result.quantity,
                infants=infants,
                tier=voucher.tier,
                fee=result.fee,
                extras=extras,
                subsidy=result.subsidy,
                copay=result.copay,
                funding=[{"source": p.source, "amount": p.amount} for p in result.funding],
                counted=result.counted,
                version=result.version,
                idempotency_key=idempotency_key,
                corrects=corrects,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="use.record",
                target=use,
                application=voucher.application,
                after=_figures(use),
            )
            return use
    except IntegrityError:
        # The same key was recorded by a concurrent retry a moment ago: that one stands.
        existing = _recorded_with(facility, idempotency_key, voucher_id)
        if existing is None:
            raise
        return existing


def _recorded_with(facility: Facility | None, key: str, voucher_id: int) -> Use | None:
    """The use already recorded under this key, if any; a key reused for another voucher is a
    client error, not a retry."""
    existing = Use.objects.filter(facility=facility, idempotency_key=key).first()
    if existing is not None and existing.voucher_id != voucher_id:
        raise ServiceError(
            "この再送キーは別の利用券の記録に使われています。",
            field="idempotency_key",
            code="idempotency_conflict",
        )
    return existing


def _require_recorder(actor: Any, facility: Facility | None, voucher_id: int) -> None:
    """A facility's own staff record its uses; municipal staff of the voucher's municipality may
    enter them for a facility that reports on paper (and record reimbursements)."""
    municipality_id = Voucher.objects.filter(pk=voucher_id).values_list(
        "municipality_id", flat=True
    )
    require_acts_for(
        actor,
        "この利用を記録する権限がありません。",
        municipality_id=municipality_id.first(),
        facility_id=facility.pk if facility else None,
    )


def _figures(use: Use) -> dict[str, Any]:
    return {
        "status": use.status,
        "service": use.service,
        "day": use.day.isoformat(),
        "quantity": use.quantity,
        "fee": use.fee,
        "subsidy": use.subsidy,
        "copay": use.copay,
        "counted": use.counted,
        "funding": use.funding,
    }


def _lock_for_change(use: Use) -> Use:
    _lock_mother_and_voucher(use.voucher_id)
    use = Use.objects.select_related("voucher__application").get(pk=use.pk)
    if use.status != Use.Status.RECORDED:
        raise InvalidState("この利用記録はすでに取り消されています。")
    line = getattr(use, "claim_line", None)
    if line is not None:
        claim = line.claim
        if claim.status == claim.Status.SUBMITTED:
            raise InvalidState(
                "提出済みの委託料請求に含まれる利用は変更できません（市に差戻しを依頼してください）。"
            )
        # A line returned (返戻) on an approved claim may be corrected and claimed again later.
        if claim.locked and line.status != line.Status.REJECTED:
            raise InvalidState("承認済みの委託料請求に含まれる利用は変更できません。")
    return use


def _lock_mother_and_voucher(voucher_id: int) -> Voucher:
    """Lock the mother, then the voucher. Caps count every use of her current delivery, on
    every voucher she holds, so two facilities recording for her queue up on her row."""
    mother_id = Voucher.objects.values_list("mother_id", flat=True).get(pk=voucher_id)
    Mother.objects.select_for_update().get(pk=mother_id)
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("mother", "municipality", "application")
        .get(pk=voucher_id)
    )


@transaction.atomic
def use_void(*, use: Use, actor: Any, reason: str) -> Use:
    """取消: the use stays in the history with its reason and no longer counts."""
    if not reason.strip():
        raise ServiceError("取消の理由を入力してください。", field="reason")
    require_acts_for(
        actor,
        "この利用記録を取り消す権限がありません。",
        municipality_id=use.municipality_id,
        facility_id=use.facility_id,
    )
    use = _lock_for_change(use)
    use.status = Use.Status.VOID
    use.void_reason, use.voided_by, use.voided_at = reason, actor, timezone.now()
    use.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    audit_record(
        actor=actor,
        action="use.void",
        target=use,
        application=use.voucher.application,
        before={"status": Use.Status.RECORDED},
        after={"status": use.status},
    )
    return use


@transaction.atomic
def use_correct(*, use: Use, actor: Any, reason: str, **changes: Any) -> Use:
    """訂正: void ``use`` and record its corrected form, which ``corrects`` it. Fields not in
    ``changes`` are kept. The correction is judged afresh (caps without the old use)."""
    old = _lock_for_change(use)
    fields = {
        "service": old.service,
        "day": old.day,
        "start": old.start,
        "end": old.end,
        "quantity": None if old.start else old.quantity,
        "infants": old.infants,
        "fee": old.fee,
        "extras": old.extras,
    }
    if "start" in changes and "day" not in changes:
        fields["day"] = None  # the day of service follows the corrected start
    fields.update(changes)
    use_void(use=old, actor=actor, reason=reason)
    return use_record(
        voucher_id=old.voucher_id,
        facility=old.facility,
        actor=actor,
        idempotency_key=f"correct:{old.pk}",
        source=old.source,
        corrects=old,
        **fields,
    )
