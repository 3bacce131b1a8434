"""Recording uses: the rules core decides, caps hold, retries record once, history is kept."""

import pytest

from sango.core.errors import InvalidState, Refused, ServiceError
from sango.core.tests import factories as f
from sango.usage.models import Use
from sango.usage.services import use_correct, use_record, use_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher():
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.approved_application(mother=mother, grants={"stay": 3, "day": 2})
    return f.voucher_for(application)


def record(voucher, key, **extra):
    staff = extra.pop("staff", None) or f.facility_staff("kaneko-josanin")
    fields = {"service": "stay", "day": f.days_ago(1), "quantity": 1, "fee": 30000, **extra}
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


def test_use_is_judged_and_counted(voucher) -> None:
    use = record(voucher, "k1", quantity=2)
    # 課税世帯 17,000 a night; fee 30,000 → copay 13,000 a night.
    assert (use.subsidy, use.copay, use.counted) == (34000, 26000, {"stay": 2})
    assert use.funding == [{"source": "municipality", "amount": 34000}]


def test_grant_is_the_cap(voucher) -> None:
    record(voucher, "k1", quantity=2)
    with pytest.raises(Refused) as refused:
        record(voucher, "k2", quantity=2)
    assert [r["code"] for r in refused.value.reasons] == ["cap_reached"]
    assert Use.objects.count() == 1


def test_retry_with_same_key_records_once(voucher) -> None:
    first = record(voucher, "same")
    again = record(voucher, "same")
    assert again.pk == first.pk
    assert Use.objects.count() == 1


def test_void_keeps_history_and_frees_the_cap(voucher) -> None:
    use = record(voucher, "k1", quantity=3)
    staff = f.facility_staff("kaneko-josanin")
    use_void(use=use, actor=staff, reason="入力誤り")
    use.refresh_from_db()
    assert use.status == Use.Status.VOID and use.void_reason == "入力誤り"
    assert record(voucher, "k2", quantity=3).counted == {"stay": 3}
    with pytest.raises(InvalidState):
        use_void(use=use, actor=staff, reason="二度目")


def test_correction_replaces_and_links(voucher) -> None:
    use = record(voucher, "k1", quantity=1, fee=30000)
    staff = f.facility_staff("kaneko-josanin")
    corrected = use_correct(use=use, actor=staff, reason="料金の訂正", fee=28000)
    assert corrected.corrects_id == use.pk
    assert corrected.copay == 11000
    use.refresh_from_db()
    assert use.status == Use.Status.VOID


def test_a_service_not_granted_is_refused(voucher) -> None:
    # The approval granted stays and day care; a home visit needs a change request first.
    staff = f.facility_staff("kaneko-josanin")
    with pytest.raises(Refused) as refused:
        record(voucher, "visit", service="visit", quantity=1, fee=8000, staff=staff)
    assert [r["code"] for r in refused.value.reasons] == ["not_granted"]


def test_only_the_facility_itself_or_the_city_records(voucher) -> None:
    other = f.facility_staff("hanada-josanin")
    with pytest.raises(ServiceError) as error:
        use_record(
            voucher_id=voucher.pk,
            facility=f.facility_staff("kaneko-josanin").facility,
            actor=other,
            idempotency_key="x",
            service="stay",
            day=f.days_ago(1),
            quantity=1,
            fee=30000,
        )
    assert error.value.code == "forbidden"
    with pytest.raises(ServiceError):
        record(voucher, "kumamoto", staff=f.clerk("431001"))
    clerk = f.clerk()  # 総社市 enters a paper report for the facility
    use = use_record(
        voucher_id=voucher.pk,
        facility=other.facility,
        actor=clerk,
        idempotency_key="paper-1",
        service="day",
        day=f.days_ago(1),
        quantity=1,
        fee=10000,
    )
    assert use.recorded_by == clerk
