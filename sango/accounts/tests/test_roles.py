"""Writing services check their actor themselves: a caller that forgot to is still refused."""

from datetime import date

import pytest

from sango.billing.services import claim_generate
from sango.bookings.services import booking_cancel, booking_create
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.reimbursements.services import reimbursement_submit
from sango.usage.services import use_record, use_void
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def soja():
    f.load_programmes()
    mother = f.mother_with_baby(born=date(2026, 3, 1), user=f.UserFactory())
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 2}))
    return mother, voucher


def refused(call, **kwargs) -> None:
    with pytest.raises(ServiceError) as error:
        call(**kwargs)
    assert error.value.code == "forbidden"


def test_bookings_by_the_facility_the_city_or_the_mother_only(soja) -> None:
    mother, _ = soja
    kaneko = f.facility_staff("kaneko-josanin")
    fields = {
        "mother": mother,
        "service": "stay",
        "start_date": date(2026, 5, 1),
        "end_date": date(2026, 5, 2),
    }
    refused(
        booking_create, facility=kaneko.facility, actor=f.facility_staff("hanada-josanin"), **fields
    )
    refused(booking_create, facility=kaneko.facility, actor=f.clerk(f.KUMAMOTO), **fields)
    booking = booking_create(facility=kaneko.facility, actor=mother.user, **fields)
    refused(booking_cancel, booking=booking, actor=f.UserFactory())  # another mother
    assert booking_cancel(booking=booking, actor=kaneko).status == booking.Status.CANCELLED


def test_usage_cards_by_the_own_city_only(soja) -> None:
    kumamoto_mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 5, 1))
    refused(
        usage_card_issue,
        mother=kumamoto_mother,
        actor=f.clerk(),
        tier="taxable",
        issued_on=date(2024, 6, 1),
    )


def test_reimbursement_by_the_mother_or_her_city_only(soja) -> None:
    _, voucher = soja
    refused(
        reimbursement_submit,
        voucher=voucher,
        actor=f.UserFactory(),
        facility_name="県外",
        facility_address="東京都",
        service="stay",
        amount_paid=30000,
        day=date(2026, 5, 1),
    )


def test_claims_and_voids_by_the_own_facility_only(soja) -> None:
    _, voucher = soja
    kaneko = f.facility_staff("kaneko-josanin")
    use = use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="k",
        service="stay",
        day=date(2026, 5, 1),
        quantity=1,
        fee=30000,
    )
    other = f.facility_staff("hanada-josanin")
    refused(use_void, use=use, actor=other, reason="他施設から")
    refused(
        claim_generate,
        facility=kaneko.facility,
        municipality=f.municipality(),
        month=date(2026, 5, 1),
        actor=other,
    )
    kumamoto_clinic = f.facility_staff("sample-kumamoto-chuo-clinic")
    with pytest.raises(ServiceError) as error:  # no contract with 総社市
        claim_generate(
            facility=kumamoto_clinic.facility,
            municipality=f.municipality(),
            month=date(2026, 5, 1),
            actor=kumamoto_clinic,
        )
    assert error.value.field == "facility"
