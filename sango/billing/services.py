"""委託料請求: a facility's monthly claim for the subsidies it advanced.

draft (generated from the month's uses) → submitted by the facility → each line accepted or
returned with a numbered reason → approved (locked: its uses can no longer be changed) or
returned to the facility, which regenerates and submits again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from sango.accounts.duties import prepared_by_decider
from sango.accounts.roles import require_acts_for, require_approver
from sango.audit.models import AuditEvent
from sango.audit.services import audit_record
from sango.billing.models import ClaimLine, FacilityClaim, RejectionReason
from sango.core.errors import InvalidState, ServiceError
from sango.facilities.models import Contract, Facility
from sango.municipalities.models import Municipality
from sango.usage.models import Use

Status = FacilityClaim.Status
REVIEW_BY_STAFF = "審査は市町村の職員が行います。"


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return first, following


def _figures(claim: FacilityClaim) -> dict[str, Any]:
    return {"status": claim.status, "total": claim.total, "approved_total": claim.approved_total}


@transaction.atomic
def claim_generate(
    *, facility: Facility, municipality: Municipality, month: date, actor: Any
) -> FacilityClaim:
    """Build (or rebuild) the month's claim from the facility's recorded uses.

    A use appears in one claim only; unclaimed uses of earlier months are included. Voided uses
    drop out of a draft or returned claim, and every line goes back to unreviewed.
    """
    require_acts_for(
        actor,
        "この施設の請求を作る権限がありません。",
        municipality_id=municipality.pk,
        facility_id=facility.pk,
    )
    if not Contract.objects.filter(facility=facility, municipality=municipality).exists():
        raise ServiceError("この施設と市町村の間に委託契約がありません。", field="facility")
    first, following = _month_bounds(month)
    claim, _ = FacilityClaim.objects.select_for_update().get_or_create(
        facility=facility, municipality=municipality, month=first
    )
    if claim.status not in (Status.DRAFT, Status.RETURNED):
        raise InvalidState(f"「{claim.get_status_display()}」の請求は作り直せません。")
    before = _figures(claim)
    claim.lines.filter(use__status=Use.Status.VOID).delete()
    claim.lines.update(status=ClaimLine.Status.PENDING, rejection_reason=None, rejection_note="")
    new_uses = Use.objects.filter(
        facility=facility,
        municipality=municipality,
        source=Use.Source.FACILITY,
        status=Use.Status.RECORDED,
        # Earlier months' uses not yet claimed come too (月遅れ請求, and corrected uses of lines
        # returned on an approved claim).
        day__lt=following,
        claim_line__isnull=True,
    )
    ClaimLine.objects.bulk_create(ClaimLine(claim=claim, use=u, amount=u.subsidy) for u in new_uses)
    claim.total = claim.lines.aggregate(total=Sum("amount"))["total"] or 0
    claim.status = Status.DRAFT
    claim.save(update_fields=["total", "status"])
    audit_record(
        actor=actor,
        action="claim.generate",
        target=claim,
        before=before,
        after={**_figures(claim), "lines": claim.lines.count()},
    )
    return claim


@transaction.atomic
def claim_submit(*, claim: FacilityClaim, actor: Any) -> FacilityClaim:
    """提出 by the facility's own staff."""
    claim = FacilityClaim.objects.select_for_update().get(pk=claim.pk)
    if actor.facility_id != claim.facility_id:
        raise ServiceError("請求はその施設の職員が提出します。", code="forbidden")
    if claim.status != Status.DRAFT:
        raise InvalidState(f"「{claim.get_status_display()}」の請求は提出できません。")
    if not claim.lines.exists():
        raise ServiceError("請求する利用がありません。", field="lines")
    before = _figures(claim)
    claim.status = Status.SUBMITTED
    claim.submitted_by, claim.submitted_at = actor, timezone.now()
    claim.save()
    audit_record(
        actor=actor, action="claim.submit", target=claim, before=before, after=_figures(claim)
    )
    return claim


@transaction.atomic
def claim_line_review(
    *,
    line: ClaimLine,
    actor: Any,
    accept: bool,
    reason: int | None = None,
    note: str = "",
) -> ClaimLine:
    """Accept a line, or return it with a numbered reason (番号で示す返戻理由)."""
    line = ClaimLine.objects.select_related("claim").select_for_update().get(pk=line.pk)
    require_acts_for(actor, REVIEW_BY_STAFF, municipality_id=line.claim.municipality_id)
    if line.claim.status != Status.SUBMITTED:
        raise InvalidState("提出された請求だけを審査できます。")
    if accept and line.use.status == Use.Status.VOID:
        raise ServiceError("取り消された利用は承認できません。", field="accept")
    if not accept and reason not in RejectionReason.values:
        raise ServiceError("返戻の理由を番号で選んでください。", field="reason")
    if not accept and reason == RejectionReason.OTHER and not note.strip():
        raise ServiceError("「その他」の場合は備考を入力してください。", field="note")
    before = {"status": line.status}
    line.status = ClaimLine.Status.ACCEPTED if accept else ClaimLine.Status.REJECTED
    line.rejection_reason = None if accept else reason
    line.rejection_note = "" if accept else note
    line.save()
    audit_record(
        actor=actor,
        action="claim.line_review",
        target=line,
        municipality_id=line.claim.municipality_id,
        before=before,
        after={"status": line.status, "reason": line.rejection_reason, "amount": line.amount},
    )
    return line


@transaction.atomic
def claim_approve(*, claim: FacilityClaim, actor: Any) -> FacilityClaim:
    """承認（確定）: every line reviewed; the accepted lines are what the municipality pays.
    The claim is locked from now on."""
    claim = FacilityClaim.objects.select_for_update().get(pk=claim.pk)
    require_approver(actor, claim.municipality_id)
    if claim.status != Status.SUBMITTED:
        raise InvalidState(f"「{claim.get_status_display()}」の請求は承認できません。")
    if claim.lines.filter(status=ClaimLine.Status.PENDING).exists():
        raise ServiceError("未審査の明細があります。", field="lines")
    reviewers = AuditEvent.objects.filter(
        action="claim.line_review",
        target_type=ClaimLine._meta.label_lower,
        target_id__in=claim.lines.values("pk"),
    ).values_list("actor_id", flat=True)
    prepared = prepared_by_decider(
        actor, reviewers, "明細を審査した職員は、同じ請求を確定できません。"
    )
    before = _figures(claim)
    accepted = claim.lines.filter(status=ClaimLine.Status.ACCEPTED)
    claim.approved_total = accepted.aggregate(total=Sum("amount"))["total"] or 0
    claim.status = Status.APPROVED
    claim.reviewed_by, claim.reviewed_at = actor, timezone.now()
    claim.save()
    audit_record(
        actor=actor,
        action="claim.approve",
        target=claim,
        before=before,
        after={**_figures(claim), "prepared_by_decider": prepared},
    )
    return claim


@transaction.atomic
def claim_return(*, claim: FacilityClaim, actor: Any) -> FacilityClaim:
    """差戻し: back to the facility to correct uses and submit again."""
    claim = FacilityClaim.objects.select_for_update().get(pk=claim.pk)
    require_acts_for(actor, REVIEW_BY_STAFF, municipality_id=claim.municipality_id)
    if claim.status != Status.SUBMITTED:
        raise InvalidState(f"「{claim.get_status_display()}」の請求は差し戻せません。")
    before = _figures(claim)
    claim.status = Status.RETURNED
    claim.reviewed_by, claim.reviewed_at = actor, timezone.now()
    claim.save()
    audit_record(
        actor=actor, action="claim.return", target=claim, before=before, after=_figures(claim)
    )
    return claim
