"""Separation of duties: whoever prepared a decision does not take it — the approver who
interviewed or verified the tier, reviewed a claim's lines, or entered a reimbursement claim is
refused; a small office may relax the rule, and then the audit trail says so."""

from __future__ import annotations

import pytest

from sango.applications.services import application_approve, application_reject
from sango.audit.models import AuditEvent
from sango.billing.services import (
    claim_approve,
    claim_generate,
    claim_line_review,
    claim_submit,
)
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.reimbursements.services import reimbursement_approve
from sango.usage.services import use_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes() -> None:
    f.load_programmes()


def _interviewed_by(boss):
    mother = f.mother_with_baby(born=f.days_ago(20))
    return f.interviewed_application(mother=mother, staff=boss)


def test_an_approver_who_interviewed_does_not_decide_the_case() -> None:
    boss = f.approver()
    application = _interviewed_by(boss)
    with pytest.raises(ServiceError, match="聞き取りや区分の確認をした職員") as refused:
        application_approve(application=application, actor=boss, grants={"stay": 3})
    assert refused.value.code == "forbidden"
    with pytest.raises(ServiceError, match="聞き取りや区分の確認をした職員"):
        application_reject(application=application, actor=boss, reason="要件を満たさない")
    # Another approver decides it, and the trail shows the duties were separate.
    application_approve(application=application, actor=f.approver(), grants={"stay": 3})
    event = AuditEvent.objects.get(action="application.approve")
    assert event.after["prepared_by_decider"] is False


def test_a_small_office_may_relax_the_rule_and_the_trail_shows_it(settings) -> None:
    settings.SANGO_SEPARATE_DUTIES = False
    boss = f.approver()
    application_approve(application=_interviewed_by(boss), actor=boss, grants={"stay": 3})
    event = AuditEvent.objects.get(action="application.approve")
    assert event.actor == boss and event.after["prepared_by_decider"] is True


def test_whoever_reviewed_the_lines_does_not_approve_the_claim() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    kaneko = f.facility_staff("kaneko-josanin")
    use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="night-1",
        service="stay",
        day=f.days_ago(2),
        quantity=1,
        fee=30000,
    )
    claim = claim_generate(
        facility=kaneko.facility,
        municipality=voucher.municipality,
        month=f.days_ago(2).replace(day=1),
        actor=kaneko,
    )
    claim = claim_submit(claim=claim, actor=kaneko)
    boss = f.approver()
    for line in claim.lines.all():
        claim_line_review(line=line, actor=boss, accept=True)
    with pytest.raises(ServiceError, match="明細を審査した職員"):
        claim_approve(claim=claim, actor=boss)
    assert claim_approve(claim=claim, actor=f.approver()).status == "approved"


def test_whoever_entered_a_reimbursement_does_not_decide_it() -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))
    boss = f.approver()
    claim = f.reimbursement(voucher=voucher, by=boss)
    with pytest.raises(ServiceError, match="請求を受け付けた職員"):
        reimbursement_approve(reimbursement=claim, actor=boss)
    assert reimbursement_approve(reimbursement=claim, actor=f.approver()).status == "approved"
