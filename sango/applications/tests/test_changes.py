"""利用変更（中止）申請: changes to an approved application reach its grants, voucher and bookings;
nothing goes below what was already used, and a rejected change leaves everything as it was."""

from datetime import timedelta

import pytest

from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.models import Application, ChangeRequest, Decision
from sango.applications.services import application_approve
from sango.audit.selectors import audit_for_application
from sango.bookings.models import Booking
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.usage.services import use_record
from sango.vouchers.models import Voucher

pytestmark = pytest.mark.django_db
Status = Application.Status


@pytest.fixture
def approved():
    """総社市: stay 3 nights and day 2 days approved, one stay confirmed at かねこ助産院."""
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(30))
    application = f.interviewed_application(mother=mother)
    f.provisional_booking(mother=mother, application=application)
    application_approve(
        application=application,
        actor=f.approver(),
        grants={"stay": 3, "day": 2},
        valid_from=mother.delivery_date,
    )
    application.refresh_from_db()
    return application


def submit(application, **fields):
    fields.setdefault("kind", ChangeRequest.Kind.CHANGE)
    return change_request_submit(application=application, actor=f.clerk(), **fields)


def decide(change, approve=True, reason=""):
    return change_request_decide(change=change, actor=f.approver(), approve=approve, reason=reason)


def grants(application):
    return {g.cap: g.quantity for g in application.grants.all()}


def use_nights(application, nights: int) -> None:
    staff = f.facility_staff("kaneko-josanin")
    use_record(
        voucher_id=f.voucher_for(application).pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key=f"n{nights}",
        service="stay",
        day=f.days_ago(2),
        quantity=nights,
        fee=30000,
    )


def test_change_grants(approved) -> None:
    change = submit(approved, grants={"stay": 5}, reason="育児不安が強く延長を希望")
    decision = decide(change)
    change.refresh_from_db()
    assert grants(approved) == {"stay": 5, "day": 2}
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.decided_by == decision.decided_by and change.decided_at is not None
    assert decision.kind == Decision.Kind.CHANGE
    # The approval was 第1号; the change letter takes the next number.
    assert decision.number.endswith("第2号")


def test_a_new_cap_can_be_added_by_change(approved) -> None:
    decide(submit(approved, grants={"visit": 2}))
    assert grants(approved) == {"stay": 3, "day": 2, "visit": 2}


def test_change_cannot_grant_less_than_used(approved) -> None:
    use_nights(approved, 2)
    change = submit(approved, grants={"stay": 1})
    with pytest.raises(ServiceError) as refused:
        decide(change)
    assert refused.value.field == "grants.stay"
    assert grants(approved) == {"stay": 3, "day": 2}
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.SUBMITTED


def test_change_down_to_what_was_used(approved) -> None:
    use_nights(approved, 2)
    decide(submit(approved, grants={"stay": 2}))
    assert grants(approved)["stay"] == 2


def test_change_cannot_exceed_the_cap(approved) -> None:
    with pytest.raises(ServiceError) as refused:
        decide(submit(approved, grants={"stay": 8}))
    assert refused.value.field == "grants.stay"
    assert grants(approved)["stay"] == 3


def test_change_facility(approved) -> None:
    tanbobo = f.facility("tanbobo-josanin")
    decide(submit(approved, facility_id=tanbobo.pk))
    approved.refresh_from_db()
    assert approved.facility == tanbobo


def test_change_to_a_facility_the_city_has_no_contract_with_is_refused(approved) -> None:
    kumamoto_clinic = f.facility("sample-kumamoto-chuo-clinic")
    with pytest.raises(ServiceError):
        decide(submit(approved, facility_id=kumamoto_clinic.pk))
    approved.refresh_from_db()
    assert approved.facility_id is None


def test_change_period_reaches_the_voucher(approved) -> None:
    earlier = approved.valid_until - timedelta(days=60)
    decide(submit(approved, valid_until=earlier))
    approved.refresh_from_db()
    assert approved.valid_until == earlier
    assert f.voucher_for(approved).valid_until == earlier


def test_change_period_cannot_end_before_it_starts(approved) -> None:
    with pytest.raises(ServiceError) as refused:
        decide(submit(approved, valid_until=f.days_ago(365)))
    assert refused.value.field == "valid_until"
    assert f.voucher_for(approved).valid_until == approved.valid_until


def test_cancel_stops_the_voucher_and_releases_bookings(approved) -> None:
    booking = Booking.objects.get(application=approved)
    assert booking.status == Booking.Status.CONFIRMED
    decision = decide(submit(approved, kind=ChangeRequest.Kind.CANCEL, reason="転出"))
    approved.refresh_from_db()
    booking.refresh_from_db()
    assert approved.status == Status.CANCELLED
    assert f.voucher_for(approved).status == Voucher.Status.CANCELLED
    assert booking.status == Booking.Status.RELEASED
    assert decision.kind == Decision.Kind.CANCELLATION
    # A facility can no longer record against the cancelled voucher.
    with pytest.raises(InvalidState):
        use_nights(approved, 1)


def test_reject_a_change_with_its_reason(approved) -> None:
    change = submit(approved, grants={"stay": 7})
    with pytest.raises(ServiceError) as refused:
        decide(change, approve=False, reason=" ")
    assert refused.value.field == "reason"
    decide(change, approve=False, reason="聞き取りの結果、延長の必要を認めない")
    change.refresh_from_db()
    approved.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert change.rejection_reason == "聞き取りの結果、延長の必要を認めない"
    assert approved.status == Status.APPROVED
    assert grants(approved) == {"stay": 3, "day": 2}
    # Once decided, a new request may be made.
    assert submit(approved, grants={"stay": 4}).status == ChangeRequest.Status.SUBMITTED


def test_a_second_pending_change_is_refused(approved) -> None:
    submit(approved, grants={"stay": 4})
    with pytest.raises(InvalidState):
        submit(approved, kind=ChangeRequest.Kind.CANCEL)
    assert approved.change_requests.count() == 1


def test_a_change_must_change_something(approved) -> None:
    with pytest.raises(ServiceError) as refused:
        submit(approved)
    assert refused.value.field == "grants"


@pytest.mark.parametrize("state", [Status.SUBMITTED, Status.REJECTED, Status.CANCELLED])
def test_only_an_approved_application_can_change(state: str) -> None:
    f.load_programmes()
    application = f.application_in(state)
    with pytest.raises(InvalidState):
        submit(application, grants={"stay": 4})


def test_a_change_is_decided_once(approved) -> None:
    change = submit(approved, grants={"stay": 4})
    decide(change)
    with pytest.raises(InvalidState):
        decide(change, approve=False, reason="やはり不承認")
    assert grants(approved)["stay"] == 4


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(lambda: f.clerk(f.SOJA), id="clerk"),
        pytest.param(lambda: f.approver(f.KUMAMOTO), id="approver-other-city"),
    ],
)
def test_only_the_citys_approver_decides_a_change(approved, actor) -> None:
    change = submit(approved, kind=ChangeRequest.Kind.CANCEL)
    with pytest.raises(ServiceError) as refused:
        change_request_decide(change=change, actor=actor(), approve=True)
    assert refused.value.code == "forbidden"
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert f.voucher_for(approved).status == Voucher.Status.ACTIVE


def test_changes_are_audited_with_before_and_after(approved) -> None:
    clerk, boss = f.clerk(), f.approver()
    change = change_request_submit(
        application=approved, actor=clerk, kind="change", grants={"stay": 5}
    )
    decision = change_request_decide(change=change, actor=boss, approve=True)
    events = audit_for_application(application_id=approved.pk)
    submitted = events.get(action="change_request.submit")
    decided = events.get(action="change_request.approve.change")
    assert submitted.actor == clerk and submitted.municipality.code == f.SOJA
    assert decided.actor == boss
    assert decided.before == {"status": "approved", "grants": {"stay": 3, "day": 2}}
    assert decided.after == {
        "status": "approved",
        "grants": {"stay": 5, "day": 2},
        "decision": decision.number,
    }
