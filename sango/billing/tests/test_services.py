"""Facility monthly claims: generated from the month's uses, reviewed line by line, locked."""

from datetime import date

import pytest

from sango.billing.models import ClaimLine, FacilityClaim, RejectionReason
from sango.billing.services import (
    claim_approve,
    claim_generate,
    claim_line_review,
    claim_return,
    claim_submit,
)
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.usage.services import use_record, use_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_of_uses():
    f.load_programmes()
    mother = f.mother_with_baby(born=date(2026, 3, 1))
    application = f.approved_application(mother=mother, grants={"stay": 7})
    voucher = f.voucher_for(application)
    staff = f.facility_staff("kaneko-josanin")
    uses = [
        use_record(
            voucher_id=voucher.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key=f"u{day}",
            service="stay",
            day=date(2026, 5, day),
            quantity=1,
            fee=30000,
        )
        for day in (10, 20, 31)
    ]
    june = use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key="june",
        service="stay",
        day=date(2026, 6, 1),
        quantity=1,
        fee=30000,
    )
    return staff, uses, june


def test_claim_covers_the_month_once(month_of_uses) -> None:
    staff, uses, june = month_of_uses
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    assert sorted(line.use_id for line in claim.lines.all()) == [u.pk for u in uses]
    assert not claim.lines.filter(use=june).exists()  # 1 June belongs to June's claim
    assert claim.total == 3 * 17000  # 課税世帯 短期入所 17,000 each
    again = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 15), actor=staff
    )
    assert again.pk == claim.pk and again.lines.count() == 3


def test_review_approve_and_lock(month_of_uses) -> None:
    staff, uses, _ = month_of_uses
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    voided = uses[2]
    use_void(use=voided, actor=staff, reason="重複入力")
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    assert claim.lines.count() == 2 and claim.total == 34000
    claim_submit(claim=claim, actor=staff)
    clerk, boss = f.clerk(), f.approver()
    first, second = claim.lines.order_by("use__day")
    claim_line_review(line=first, actor=clerk, accept=True)
    with pytest.raises(ServiceError):
        claim_approve(claim=claim, actor=boss)  # a line is not reviewed yet
    claim_line_review(line=second, actor=clerk, accept=False, reason=RejectionReason.WRONG_FEE)
    claim = claim_approve(claim=claim, actor=boss)
    assert claim.status == FacilityClaim.Status.APPROVED and claim.approved_total == 17000
    second.refresh_from_db()
    assert second.get_rejection_reason_display() == "料金が契約と異なります"
    with pytest.raises(InvalidState):
        use_void(use=first.use, actor=staff, reason="承認後の取消")
    with pytest.raises(InvalidState):
        claim_generate(
            facility=staff.facility,
            municipality=f.municipality(),
            month=date(2026, 5, 1),
            actor=staff,
        )


def test_returned_claim_is_regenerated_and_resubmitted(month_of_uses) -> None:
    staff, _, _ = month_of_uses
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    claim_submit(claim=claim, actor=staff)
    claim_return(claim=claim, actor=f.clerk())
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    assert set(claim.lines.values_list("status", flat=True)) == {ClaimLine.Status.PENDING}
    assert claim_submit(claim=claim, actor=staff).status == FacilityClaim.Status.SUBMITTED


def test_only_own_staff_submit_and_only_municipality_reviews(month_of_uses) -> None:
    staff, _, _ = month_of_uses
    claim = claim_generate(
        facility=staff.facility, municipality=f.municipality(), month=date(2026, 5, 1), actor=staff
    )
    with pytest.raises(ServiceError):
        claim_submit(claim=claim, actor=f.facility_staff("hanada-josanin"))
    claim_submit(claim=claim, actor=staff)
    with pytest.raises(ServiceError):
        claim_line_review(line=claim.lines.first(), actor=f.clerk("431001"), accept=True)
