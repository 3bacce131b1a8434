"""Uses over a mother's whole entitlement: other vouchers, late records, corrections, claims."""

from datetime import date, timedelta

import pytest

from sango.applications.services import applications_expire
from sango.billing.services import claim_generate, claim_submit
from sango.core.errors import InvalidState, Refused, ServiceError
from sango.core.tests import factories as f
from sango.mothers.models import Infant
from sango.usage.services import use_correct, use_record, use_void
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db


def stay(voucher, staff, key, day, **extra):
    return use_record(
        voucher_id=voucher.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=key,
        service="stay",
        day=day,
        quantity=extra.pop("quantity", 1),
        fee=extra.pop("fee", 30000),
        **extra,
    )


@pytest.fixture
def soja():
    f.load_programmes()
    mother = f.mother_with_baby(born=date(2026, 3, 1))
    voucher = f.voucher_for(f.approved_application(mother=mother, grants={"stay": 7}))
    return mother, voucher, f.facility_staff("kaneko-josanin")


def test_a_second_card_does_not_start_the_caps_again() -> None:
    # 熊本市: 7 nights in all. A second usage card for the same birth is refused, and even a
    # card issued after the first was cancelled still sees the nights already used.
    f.load_programmes()
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2026, 5, 1))
    clerk = f.clerk(f.KUMAMOTO)
    card = usage_card_issue(mother=mother, actor=clerk, tier="taxable", issued_on=date(2026, 5, 8))
    with pytest.raises(ServiceError) as twice:
        usage_card_issue(mother=mother, actor=clerk, tier="taxable", issued_on=date(2026, 5, 9))
    assert twice.value.code == "voucher_exists"
    clinic = f.facility_staff("sample-kumamoto-chuo-clinic")
    stay(card, clinic, "a", date(2026, 6, 1), quantity=7, fee=None)
    card.status = card.Status.CANCELLED  # lost card, cancelled by the ward office
    card.save()
    new_card = usage_card_issue(
        mother=mother, actor=clerk, tier="taxable", issued_on=date(2026, 6, 10)
    )
    with pytest.raises(Refused) as refused:
        stay(new_card, clinic, "b", date(2026, 6, 20), fee=None)
    assert [r["code"] for r in refused.value.reasons] == ["cap_reached"]


def test_a_late_record_after_expiry_still_counts(soja) -> None:
    # The facility reports a stay inside the period after the expiry batch ran (月遅れ).
    _, voucher, kaneko = soja
    applications_expire(today=voucher.valid_until + timedelta(days=1))
    voucher.refresh_from_db()
    assert voucher.status == voucher.Status.EXPIRED
    use = stay(voucher, kaneko, "late", date(2026, 11, 1))
    assert use.counted == {"stay": 1}


def test_a_use_on_a_submitted_claim_cannot_change(soja) -> None:
    _, voucher, kaneko = soja
    use = stay(voucher, kaneko, "k", date(2026, 5, 10))
    claim = claim_generate(
        facility=kaneko.facility,
        municipality=f.municipality(),
        month=date(2026, 5, 1),
        actor=kaneko,
    )
    claim_submit(claim=claim, actor=kaneko)
    with pytest.raises(InvalidState):
        use_void(use=use, actor=kaneko, reason="二重")
    with pytest.raises(InvalidState):
        use_correct(use=use, actor=kaneko, reason="料金", fee=28000)


def test_correcting_the_start_moves_the_day_of_service(soja) -> None:
    _, voucher, kaneko = soja
    use = use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key="t",
        service="stay",
        start=f.at(date(2026, 5, 10), 10),
        end=f.at(date(2026, 5, 11), 12),
        fee=30000,
    )
    corrected = use_correct(
        use=use,
        actor=kaneko,
        reason="日付の誤り",
        start=f.at(date(2026, 5, 12), 10),
        end=f.at(date(2026, 5, 13), 12),
    )
    assert corrected.day == date(2026, 5, 12)


def test_impossible_times_are_refused_whoever_builds_the_request(soja) -> None:
    _, voucher, kaneko = soja
    with pytest.raises(ServiceError) as backwards:
        use_record(
            voucher_id=voucher.pk,
            facility=kaneko.facility,
            actor=kaneko,
            idempotency_key="x",
            service="day",
            start=f.at(date(2026, 5, 10), 15),
            end=f.at(date(2026, 5, 10), 10),
            fee=10000,
        )
    assert backwards.value.field == "end"
    with pytest.raises(ServiceError) as elsewhere:
        use_record(
            voucher_id=voucher.pk,
            facility=kaneko.facility,
            actor=kaneko,
            idempotency_key="y",
            service="day",
            day=date(2026, 5, 1),
            start=f.at(date(2026, 5, 10), 10),
            end=f.at(date(2026, 5, 10), 15),
            fee=10000,
        )
    assert elsewhere.value.field == "date"


def test_no_use_before_the_birth_on_a_card_from_pregnancy() -> None:
    f.load_programmes()
    mother = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO))
    card = usage_card_issue(
        mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2026, 4, 10)
    )
    Infant.objects.create(mother=mother, birth_date=date(2026, 5, 1))
    clinic = f.facility_staff("sample-kumamoto-chuo-clinic")
    with pytest.raises(ServiceError) as before_birth:
        stay(card, clinic, "early", date(2026, 4, 20), fee=None)
    assert before_birth.value.field == "birth_date"


def test_no_use_in_the_future(soja) -> None:
    _, voucher, kaneko = soja
    with pytest.raises(ServiceError) as future:
        stay(voucher, kaneko, "f", date(2026, 11, 22) + timedelta(days=30))
    assert future.value.field == "day"
