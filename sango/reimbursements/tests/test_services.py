"""償還払い: what the programme would have paid, never more than was paid, counted against caps."""

from datetime import date

import pytest

from sango.core.errors import Refused, ServiceError
from sango.core.tests import factories as f
from sango.reimbursements.services import (
    reimbursement_approve,
    reimbursement_preview,
    reimbursement_reject,
    reimbursement_submit,
)
from sango.usage.models import Use

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher():
    f.load_programmes()
    mother = f.mother_with_baby(born=date(2026, 3, 1))
    return f.voucher_for(f.approved_application(mother=mother, grants={"stay": 2}, tier="welfare"))


def submit(voucher, **extra):
    fields = {
        "facility_name": "東京母子ケアハウス",
        "facility_address": "東京都（県外）",
        "service": "stay",
        "day": date(2026, 5, 10),
        "quantity": 1,
        "amount_paid": 40000,
        **extra,
    }
    return reimbursement_submit(voucher=voucher, actor=f.clerk(), **fields)


def test_pays_the_programme_share_and_counts_against_caps(voucher) -> None:
    approved = reimbursement_approve(reimbursement=submit(voucher), actor=f.approver())
    assert approved.amount == 26000  # 生活保護 短期入所 26,000 < 40,000 paid
    assert approved.use.source == Use.Source.REIMBURSEMENT
    assert approved.use.counted == {"stay": 1}
    second = reimbursement_approve(
        reimbursement=submit(voucher, quantity=1, amount_paid=20000), actor=f.approver()
    )
    assert second.amount == 20000  # never more than was paid
    with pytest.raises(Refused):  # the grant of 2 nights is used up
        reimbursement_approve(reimbursement=submit(voucher), actor=f.approver())


def test_not_before_the_programme_offers_it(voucher) -> None:
    with pytest.raises(ServiceError) as error:
        submit(voucher, day=date(2025, 3, 31))  # 令和7年4月から
    assert error.value.field == "day"


def test_reject_needs_a_reason_and_records_nothing(voucher) -> None:
    claim = submit(voucher)
    with pytest.raises(ServiceError):
        reimbursement_reject(reimbursement=claim, actor=f.approver(), reason=" ")
    rejected = reimbursement_reject(reimbursement=claim, actor=f.approver(), reason="領収書不備")
    assert rejected.status == rejected.Status.REJECTED
    assert not Use.objects.exists()


def test_times_give_the_nights_and_the_fee_per_night(voucher) -> None:
    # Two nights by check-in and check-out, 30,000 yen paid in all: 15,000 a night.
    claim = submit(
        voucher,
        day=None,
        quantity=1,
        amount_paid=30000,
        start=f.at(date(2026, 5, 10), 10),
        end=f.at(date(2026, 5, 12), 11),
    )
    assert claim.quantity == 2
    approved = reimbursement_approve(reimbursement=claim, actor=f.approver())
    assert (approved.use.fee, approved.use.quantity) == (15000, 2)
    assert approved.use.subsidy == approved.amount == 30000


def test_start_without_end_is_refused(voucher) -> None:
    with pytest.raises(ServiceError) as error:
        submit(voucher, day=None, start=f.at(date(2026, 5, 10), 10))
    assert error.value.field == "end"


def test_the_preview_is_what_approval_pays(voucher) -> None:
    fields = {"service": "stay", "day": date(2026, 5, 10), "quantity": 2, "amount_paid": 60000}
    preview = reimbursement_preview(voucher=voucher, **fields)
    assert (preview.amount, preview.quantity, preview.eligible) == (52000, 2, True)
    approved = reimbursement_approve(reimbursement=submit(voucher, **fields), actor=f.approver())
    assert approved.amount == preview.amount


def test_the_preview_never_exceeds_what_was_paid_and_gives_the_rules_reasons(voucher) -> None:
    cheap = reimbursement_preview(
        voucher=voucher, service="stay", day=date(2026, 5, 10), amount_paid=9000
    )
    assert cheap.amount == 9000
    over = reimbursement_preview(
        voucher=voucher, service="stay", day=date(2026, 5, 10), quantity=3, amount_paid=90000
    )
    assert not over.eligible and over.amount == 0 and over.reasons  # 2 nights granted
    with pytest.raises(Refused):
        reimbursement_approve(
            reimbursement=submit(voucher, quantity=3, amount_paid=90000), actor=f.approver()
        )


def test_a_claim_takes_her_account_and_her_receipts(voucher) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sango.banking.services import bank_account_validate
    from sango.uploads.models import Upload
    from sango.uploads.services import upload_store

    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    receipt = upload_store(
        actor=f.clerk(), mother=voucher.mother, file=pdf, kind=Upload.Kind.RECEIPT
    )
    account = bank_account_validate(
        bank_code="0001", branch_code="001", kind="1", number="7654321", holder="ハナコ"
    )
    claim = submit(voucher, account=account, receipts=[receipt])
    assert claim.bank_account.mother_id == voucher.mother_id
    assert list(claim.uploads.all()) == [receipt]
    with pytest.raises(ServiceError):  # a receipt already part of a claim
        submit(voucher, receipts=[Upload.objects.get(pk=receipt.pk)])
