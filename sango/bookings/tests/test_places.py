"""Places and booking requests: a facility's capacity, closed days and horizon; requests from
こども課 checked against the contract, the baby's windows and the free places; the facility's
answer; and a freed place never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from sango.applications.services import application_approve, application_reject
from sango.audit.models import AuditEvent
from sango.bookings.capacity import (
    booking_settings_set,
    capacity_set,
    closed_day_add,
    policy_set,
)
from sango.bookings.models import Booking
from sango.bookings.places import Full, occupied_days
from sango.bookings.services import (
    booking_accept,
    booking_cancel,
    booking_create,
    booking_decline,
    booking_request,
)
from sango.core.errors import InvalidState, Refused, ServiceError
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db
Status = Booking.Status
KANEKO = "kaneko-josanin"


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


@pytest.fixture
def kaneko():
    return f.facility_staff(KANEKO)


def ahead(days: int):
    return f.days_ago(-days)


def request(mother=None, *, slug=KANEKO, service="stay", start=None, nights=1, **extra):
    mother = mother or f.mother_with_baby(born=f.days_ago(20))
    start = start or ahead(7)
    return booking_request(
        facility=f.facility(slug),
        mother=mother,
        actor=f.clerk(mother.municipality.code),
        service=service,
        start_date=start,
        end_date=start + timedelta(days=nights),
        **extra,
    )


def test_occupied_nights_and_days() -> None:
    d = ahead(10)
    # 1泊2日 12/12→12/13 takes the night of 12/12; a same-day stay counts one night.
    assert occupied_days(d, d + timedelta(days=1), nightly=True) == [d]
    assert occupied_days(d, d, nightly=True) == [d]
    assert occupied_days(d, d + timedelta(days=3), nightly=True) == [
        d,
        d + timedelta(days=1),
        d + timedelta(days=2),
    ]
    assert occupied_days(d, d + timedelta(days=1), nightly=False) == [d, d + timedelta(days=1)]


def test_a_request_waits_for_the_facility_and_holds_its_place(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    first = request()
    assert first.status == Status.REQUESTED
    assert AuditEvent.objects.filter(action="booking.request", target_id=first.pk).exists()
    with pytest.raises(Full) as full:
        request()
    assert full.value.code == "full"
    assert full.value.days == [ahead(7)]
    assert "満床です。キャンセル待ちに登録できます。" in full.value.message
    # The night after is free: a 1泊2日 stay leaves on the morning of the next day.
    assert request(start=ahead(8)).status == Status.REQUESTED


def test_the_facilitys_own_booking_respects_capacity_too(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="day", places=1)
    f.provisional_booking(mother=f.mother_with_baby(born=f.days_ago(20)), service="day", nights=0)
    with pytest.raises(Full) as full:
        f.provisional_booking(
            mother=f.mother_with_baby(born=f.days_ago(20)), service="day", nights=0
        )
    assert "満員です" in full.value.message
    assert Booking.objects.count() == 1


def test_no_capacity_set_means_no_limit(kaneko) -> None:
    for _ in range(3):
        request()
    assert Booking.objects.filter(status=Status.REQUESTED).count() == 3


def test_a_capacity_below_future_bookings_is_refused_naming_days_not_people(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=3)
    mothers = [f.mother_with_baby(born=f.days_ago(20)) for _ in range(3)]
    for mother in mothers:
        request(mother, start=ahead(5), nights=2)
    # a booking in the past does not count: it no longer takes a place
    booking_create(
        facility=kaneko.facility,
        mother=f.mother_with_baby(born=f.days_ago(30)),
        actor=kaneko,
        service="stay",
        start_date=f.days_ago(3),
        end_date=f.days_ago(1),
    )
    with pytest.raises(ServiceError) as refused:
        capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=2)
    message = refused.value.message
    assert refused.value.field == "places"
    assert f"{wareki(ahead(5))}（3件）" in message and f"{wareki(ahead(6))}（3件）" in message
    assert wareki(ahead(7)) not in message  # the day they leave
    assert not any(m.name in message for m in mothers)
    assert capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=4)


def test_only_the_facilitys_staff_set_its_capacity(kaneko) -> None:
    for someone in (f.facility_staff("tanbobo-josanin"), f.clerk()):
        with pytest.raises(ServiceError) as refused:
            capacity_set(facility=kaneko.facility, actor=someone, service="stay", places=2)
        assert refused.value.code == "forbidden"
    with pytest.raises(ServiceError) as refused:
        # 花田助産院 offers no stays
        hanada = f.facility_staff("hanada-josanin")
        capacity_set(facility=hanada.facility, actor=hanada, service="stay", places=2)
    assert refused.value.field == "service"


def test_the_settings_page_saves_all_or_nothing(kaneko) -> None:
    request(nights=1)
    request(nights=1)
    with pytest.raises(ServiceError) as refused:
        booking_settings_set(
            facility=kaneko.facility,
            actor=kaneko,
            capacities={"day": 4, "stay": 1, "visit": None},
            horizon_days=60,
            cancel_hours=48,
            cancel_note="前日のキャンセルは施設の規定により料金がかかります。",
            offer_hours=12,
        )
    assert refused.value.field == "places_stay"
    assert not kaneko.facility.capacities.exists()
    policy = booking_settings_set(
        facility=kaneko.facility,
        actor=kaneko,
        capacities={"day": 4, "stay": 2, "visit": None},
        horizon_days=60,
        cancel_hours=48,
        cancel_note="",
        offer_hours=12,
    )
    assert (policy.horizon_days, policy.cancel_hours, policy.offer_hours) == (60, 48, 12)
    assert dict(kaneko.facility.capacities.values_list("service", "places")) == {
        "day": 4,
        "stay": 2,
    }


def test_policy_values_are_bounded(kaneko) -> None:
    with pytest.raises(ServiceError) as refused:
        policy_set(
            facility=kaneko.facility,
            actor=kaneko,
            horizon_days=0,
            cancel_hours=24,
            cancel_note="",
            offer_hours=24,
        )
    assert refused.value.field == "horizon_days"


def test_a_closed_day_is_refused(kaneko) -> None:
    closed_day_add(facility=kaneko.facility, actor=kaneko, day=ahead(8), note="研修のため")
    with pytest.raises(ServiceError) as refused:
        request(start=ahead(7), nights=2)
    assert refused.value.field == "start_date"
    assert f"{wareki(ahead(8))}（研修のため）は休業日です。" == refused.value.message
    # leaving on the closed day's morning is fine: the night before is open
    assert request(start=ahead(7), nights=1)


def test_a_day_with_bookings_cannot_be_closed(kaneko) -> None:
    request(start=ahead(7))
    with pytest.raises(ServiceError) as refused:
        closed_day_add(facility=kaneko.facility, actor=kaneko, day=ahead(7))
    assert "予約が1件あります" in refused.value.message
    with pytest.raises(ServiceError):
        closed_day_add(facility=kaneko.facility, actor=kaneko, day=f.days_ago(1))


def test_requests_beyond_the_horizon_or_in_the_past_are_refused(kaneko) -> None:
    policy_set(
        facility=kaneko.facility,
        actor=kaneko,
        horizon_days=30,
        cancel_hours=24,
        cancel_note="",
        offer_hours=24,
    )
    with pytest.raises(ServiceError) as refused:
        request(start=ahead(30), nights=2)
    assert refused.value.field == "end_date"
    assert "30日先" in refused.value.message
    assert request(start=ahead(29), nights=2)  # the nights of days 29 and 30
    with pytest.raises(ServiceError) as refused:
        request(start=f.days_ago(1))
    assert refused.value.field == "start_date"


def test_a_booking_outside_the_facilitys_window_is_refused_with_the_reason() -> None:
    # くにとみクリニック takes 総社市's stays 産後3か月以内.
    mother = f.mother_with_baby(born=f.days_ago(85))
    last = mother.infants.get().birth_date + relativedelta(months=3)
    with pytest.raises(Refused) as refused:
        request(mother, slug="kunitomi-clinic", start=ahead(3), nights=10)
    reasons = [r["message"] for r in refused.value.reasons]
    assert len(reasons) == 1
    assert reasons[0].startswith("くにとみクリニックの短期入所（ショートステイ）型は産後3か月以内")
    assert f"（{wareki(last)}まで）" in reasons[0]
    assert not Booking.objects.exists()


def test_the_programmes_own_window_is_checked_too() -> None:
    mother = f.mother_with_baby(born=f.days_ago(362))
    with pytest.raises(Refused) as refused:
        request(mother, start=ahead(3), nights=5)
    assert [r["code"] for r in refused.value.reasons] == ["outside_window"]


def test_accepting_a_request_holds_it_until_approval(kaneko) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother)
    booking = booking_accept(booking=request(mother, application=application), actor=kaneko)
    assert booking.status == Status.PROVISIONAL
    with pytest.raises(InvalidState):
        booking_accept(booking=booking, actor=kaneko)
    # approval confirms it, as for any provisional booking
    application_approve(application=application, actor=f.approver(), grants={"stay": 2})
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_accepting_for_an_approved_application_or_a_usage_card_confirms(kaneko) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    approved = f.approved_application(mother=mother, grants={"stay": 3})
    booking = booking_accept(booking=request(mother, application=approved), actor=kaneko)
    assert booking.status == Status.CONFIRMED
    # かねこ助産院 also serves 熊本市, whose mothers hold a 利用カード
    kumamoto = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(20))
    usage_card_issue(mother=kumamoto, actor=f.clerk(f.KUMAMOTO), tier="taxable")
    booking = booking_accept(booking=request(kumamoto), actor=kaneko)
    assert booking.status == Status.CONFIRMED


def test_only_the_facility_answers(kaneko) -> None:
    booking = request()
    for someone in (f.clerk(), f.facility_staff("tanbobo-josanin")):
        with pytest.raises(ServiceError) as refused:
            booking_accept(booking=booking, actor=someone)
        assert refused.value.code == "forbidden"


def test_decline_needs_a_reason_and_frees_the_place(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    booking = request()
    with pytest.raises(ServiceError) as refused:
        booking_decline(booking=booking, actor=kaneko, reason="  ")
    assert refused.value.field == "reason"
    booking = booking_decline(booking=booking, actor=kaneko, reason="その日は助産師が不在のため")
    assert (booking.status, booking.decline_reason) == (
        Status.DECLINED,
        "その日は助産師が不在のため",
    )
    event = AuditEvent.objects.get(action="booking.decline")
    assert "助産師" not in str(event.after)  # the reason stays on the booking
    with pytest.raises(InvalidState):
        booking_decline(booking=booking, actor=kaneko, reason="再度")
    assert request().status == Status.REQUESTED


def test_cancel_frees_the_place_and_records_a_late_cancellation(kaneko) -> None:
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    booking = booking_accept(booking=request(start=ahead(0)), actor=kaneko)
    booking_cancel(booking=booking, actor=kaneko)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert AuditEvent.objects.get(action="booking.cancel").after["late"] is True
    assert request(start=ahead(0)).status == Status.REQUESTED
    with pytest.raises(InvalidState):
        booking_cancel(booking=booking, actor=kaneko)


def test_rejection_releases_requests_too(kaneko) -> None:
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.interviewed_application(mother=mother)
    waiting = request(mother, application=application)
    held = booking_accept(
        booking=request(mother, application=application, start=ahead(9)), actor=kaneko
    )
    application_reject(application=application, actor=f.approver(), reason="要件外")
    for booking in (waiting, held):
        booking.refresh_from_db()
        assert booking.status == Status.RELEASED
