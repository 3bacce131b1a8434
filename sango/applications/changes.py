"""利用変更（中止）申請: changing the grants, facility or period of an approved application, or
stopping it. A change never grants less than has already been used."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.roles import require_approver
from sango.applications.models import Application, ChangeRequest, Decision, Grant
from sango.applications.services import (
    decision_issue,
    grants_check,
    require_contracted,
    require_handler,
    require_state,
)
from sango.audit.services import audit_record
from sango.core.errors import InvalidState, ServiceError
from sango.notifications.events.applications import change_request_rejected
from sango.programs.rules_for import rules_on

Status = Application.Status


@transaction.atomic
def change_request_submit(
    *,
    application: Application,
    actor: Any,
    kind: str,
    reason: str = "",
    grants: dict[str, int] | None = None,
    facility_id: int | None = None,
    valid_until=None,
) -> ChangeRequest:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_handler(actor, application.municipality_id, mother=application.mother)
    require_state(application, Status.APPROVED, step="変更・中止の申請")
    if kind == ChangeRequest.Kind.CHANGE and not (grants or facility_id or valid_until):
        raise ServiceError("変更する内容を入力してください。", field="grants")
    require_contracted(facility_id, application.municipality_id)
    if application.change_requests.filter(status=ChangeRequest.Status.SUBMITTED).exists():
        raise InvalidState("審査中の変更・中止の申請があります。")
    change = ChangeRequest.objects.create(
        application=application,
        kind=kind,
        grants=grants or {},
        facility_id=facility_id,
        valid_until=valid_until,
        reason=reason,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="change_request.submit",
        target=change,
        application=application,
        municipality_id=application.municipality_id,
        after={"kind": kind, "grants": grants or {}},
    )
    return change


@transaction.atomic
def change_request_decide(
    *, change: ChangeRequest, actor: Any, approve: bool, reason: str = ""
) -> Decision | None:
    """Approve (apply the change, or stop the application) or reject a change request."""
    from sango.bookings.services import bookings_release_for
    from sango.usage.selectors import used_by_cap
    from sango.vouchers.models import Voucher

    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    application = Application.objects.select_for_update().get(pk=change.application_id)
    require_approver(actor, application.municipality_id)
    if change.status != ChangeRequest.Status.SUBMITTED:
        raise InvalidState("この申請はすでに決定済みです。")
    change.decided_by, change.decided_at = actor, timezone.now()
    if not approve:
        if not reason.strip():
            raise ServiceError("不承認の理由を入力してください。", field="reason")
        change.status, change.rejection_reason = ChangeRequest.Status.REJECTED, reason
        change.save()
        audit_record(
            actor=actor,
            action="change_request.reject",
            target=change,
            application=application,
            municipality_id=application.municipality_id,
            after={"status": change.status},
        )
        change_request_rejected(change=change)
        return None
    require_state(application, Status.APPROVED, step="変更・中止")
    before = {"status": application.status, "grants": _grants(application)}
    if change.kind == ChangeRequest.Kind.CANCEL:
        application.status = Status.CANCELLED
        Voucher.objects.filter(application=application).update(status=Voucher.Status.CANCELLED)
        bookings_release_for(application=application, actor=actor)
        kind = Decision.Kind.CANCELLATION
    else:
        if change.grants:
            rules = rules_on(application.municipality.code, timezone.localdate())
            new = {**_grants(application), **change.grants}
            grants_check(rules, application, new)
            voucher = getattr(application, "voucher", None)
            used = used_by_cap(voucher=voucher, rules=rules) if voucher else {}
            for cap, quantity in new.items():
                if quantity < used.get(cap, 0):
                    raise ServiceError(
                        f"{cap}はすでに{used[cap]}利用済みのため、それより少なくできません。",
                        field=f"grants.{cap}",
                    )
            for cap, quantity in change.grants.items():
                Grant.objects.update_or_create(
                    application=application, cap=cap, defaults={"quantity": quantity}
                )
        if change.facility_id:
            application.facility_id = change.facility_id
        if change.valid_until:
            if change.valid_until < application.valid_from:
                raise ServiceError("利用期間の終了日が開始日より前です。", field="valid_until")
            _check_new_end(application, change.valid_until)
            application.valid_until = change.valid_until
            Voucher.objects.filter(application=application).update(valid_until=change.valid_until)
        kind = Decision.Kind.CHANGE
    application.save()
    change.status = ChangeRequest.Status.APPROVED
    change.save()
    decision = decision_issue(
        application=application, actor=actor, kind=kind, reason=reason, change_request=change
    )
    audit_record(
        actor=actor,
        action=f"change_request.approve.{change.kind}",
        target=change,
        application=application,
        municipality_id=application.municipality_id,
        before=before,
        after={
            "status": application.status,
            "grants": _grants(application),
            "decision": decision.number,
        },
    )
    return decision


def _grants(application: Application) -> dict[str, int]:
    return {g.cap: g.quantity for g in application.grants.all()}


def _check_new_end(application: Application, new_end) -> None:
    """A period may not outrun the postpartum window, nor end before a use already recorded."""
    from sango.usage.models import Use

    delivery = application.mother.delivery_date
    rules = rules_on(application.municipality.code, application.valid_from)
    window_end = rules.eligibility.postpartum_window.last_day(delivery) if delivery else None
    if window_end is not None and new_end > window_end:
        raise ServiceError(f"利用期間は{window_end.isoformat()}までです。", field="valid_until")
    later = Use.objects.filter(
        voucher__application=application, status=Use.Status.RECORDED, day__gt=new_end
    )
    if later.exists():
        raise ServiceError("新しい終了日より後の利用が記録されています。", field="valid_until")
