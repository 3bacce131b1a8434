"""Everything one case page shows, gathered once: the application with its mother, interview,
tier, decisions, voucher, bookings, uses with what remains per cap, changes, reimbursements
and the audit trail, with every code turned into the programme's own words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from sango.applications.models import Application, TierBasis
from sango.applications.selectors import DecisionTiming, decision_timing
from sango.core.errors import ServiceError
from sango.portals.staff import selectors
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.rules.program import RuleSet
from sango.usage.selectors import remaining_by_cap

Status = Application.Status

ACTIONS = {
    "application.create": pgettext_lazy("audit", "申請を作成"),
    "application.submit": pgettext_lazy("audit", "申請を受付"),
    "application.interview": pgettext_lazy("audit", "聞き取りを記録"),
    "application.verify_tier": pgettext_lazy("audit", "区分を確認"),
    "application.approve": pgettext_lazy("audit", "承認"),
    "application.reject": pgettext_lazy("audit", "不承認"),
    "application.expire": pgettext_lazy("audit", "期間満了"),
    "application.assign": pgettext_lazy("audit", "担当者を変更"),
    "application.documents": pgettext_lazy("audit", "書類の受領を記録"),
    "application.online_save": pgettext_lazy("audit", "オンライン申請の下書きを保存"),
    "upload.store": pgettext_lazy("audit", "書類をアップロード"),
    "upload.remove": pgettext_lazy("audit", "アップロードを取消"),
    "booking.create": pgettext_lazy("audit", "仮予約"),
    "booking.attach": pgettext_lazy("audit", "申請前の仮予約を申請に紐づけ"),
    "booking.release": pgettext_lazy("audit", "予約を解除"),
    "booking.confirm": pgettext_lazy("audit", "予約を確定"),
    "booking.cancel": pgettext_lazy("audit", "予約を取消"),
    "voucher.issue": pgettext_lazy("audit", "利用券を発行"),
    "change_request.submit": pgettext_lazy("audit", "変更・中止の申請を受付"),
    "change_request.approve.change": pgettext_lazy("audit", "変更を承認"),
    "change_request.approve.cancel": pgettext_lazy("audit", "中止を承認"),
    "change_request.reject": pgettext_lazy("audit", "変更・中止を不承認"),
    "use.record": pgettext_lazy("audit", "利用を記録"),
    "use.void": pgettext_lazy("audit", "利用を取消"),
    "reimbursement.submit": pgettext_lazy("audit", "償還払いの請求を受付"),
    "reimbursement.approve": pgettext_lazy("audit", "償還払いを支給決定"),
    "reimbursement.reject": pgettext_lazy("audit", "償還払いを不支給"),
}


@dataclass
class Case:
    application: Application
    rules: RuleSet | None
    timing: DecisionTiming | None
    needs: dict[str, str]
    exclusions: dict[str, str]
    documents: list[tuple[str, bool]]
    remaining: list[dict]
    uses: list[Any]
    reimbursements: list[Any]
    others: list[Application]
    grants: list[tuple[str, int, str]]
    audit: list[Any]
    actions: list[str]

    @property
    def mother(self):
        return self.application.mother

    @property
    def voucher(self):
        return getattr(self.application, "voucher", None)

    @property
    def interview(self):
        interviews = list(self.application.interviews.all())
        return interviews[0] if interviews else None


def _rules(application: Application) -> RuleSet | None:
    moment = application.submitted_at or application.created_at
    try:
        return rules_on(application.municipality.code, timezone.localtime(moment).date())
    except ServiceError:
        return None


def allowed_actions(application: Application, user: Any, rules: RuleSet | None) -> list[str]:
    """The steps the current state allows, for the buttons; the services check again."""
    status, actions = application.status, []
    if status == Status.DRAFT:
        actions.append("submit")
    if status in (Status.SUBMITTED, Status.INTERVIEWED):
        actions += ["interview"]
    if status in (Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED):
        actions += ["tier", "documents"]
    ready = application.tier and application.tier_basis != TierBasis.PENDING
    if user.is_approver and status in (Status.SUBMITTED, Status.INTERVIEWED):
        interview_required = bool(
            rules and rules.process.interview and rules.process.interview.required
        )
        if ready and (status == Status.INTERVIEWED or not interview_required):
            actions.append("approve")
        actions.append("reject")
    if status == Status.APPROVED:
        actions.append("change")
        if rules and rules.process.reimbursement.available:
            actions.append("reimbursement")
    return actions


def _grants(application: Application, rules: RuleSet | None) -> list[tuple[str, int, str]]:
    """(cap name, quantity, unit) per grant, named as the programme names its caps."""
    caps = {cap.code: cap for cap in rules.caps} if rules else {}
    return [
        (
            caps[g.cap].name if g.cap in caps else g.cap,
            g.quantity,
            caps[g.cap].unit if g.cap in caps else "",
        )
        for g in application.grants.all()
    ]


def case_page(user: Any, pk: int) -> Case:
    application = selectors.case_for(user, pk)
    rules = _rules(application)
    voucher = getattr(application, "voucher", None)
    today = timezone.localdate()
    remaining, uses = [], selectors.uses_of(voucher)
    if voucher is not None:
        try:
            now_rules = rules_on(application.municipality.code, today)
            remaining = list(remaining_by_cap(voucher=voucher, rules=now_rules, day=today).values())
        except ServiceError:
            remaining = []
    for use in uses:
        use.service_name = service_name(rules, use.service) if rules else use.service
    received = set(application.documents_received)
    documents = [
        (doc.name, doc.name in received)
        for doc in (rules.process.required_documents if rules else [])
    ]
    return Case(
        application=application,
        rules=rules,
        timing=decision_timing(application, today=today),
        needs={c.code: c.label for c in rules.eligibility.needs.conditions} if rules else {},
        exclusions={c.code: c.label for c in rules.eligibility.exclusions} if rules else {},
        documents=documents,
        remaining=remaining,
        uses=uses,
        reimbursements=selectors.reimbursements_of(voucher),
        others=list(selectors.other_applications(application)),
        grants=_grants(application, rules),
        audit=[
            (event, ACTIONS.get(event.action, event.action))
            for event in selectors.audit_of(application)
        ],
        actions=allowed_actions(application, user, rules),
    )
