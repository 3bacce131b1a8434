"""Provisional bookings (仮予約): only at a facility the mother's city contracts for a service it
offers; confirmed when the application is approved, released when it is rejected or stopped."""

from datetime import timedelta

import pytest

from sango.applications.changes import change_request_decide, change_request_submit
from sango.applications.services import application_approve, application_reject
from sango.audit.selectors import audit_for_application
from sango.bookings.models import Booking
from sango.bookings.services import booking_cancel, booking_create
from sango.core.errors import InvalidState, ServiceError
from sango.core.tests import factories as f
from sango.facilities.models import Contract

pytestmark = pytest.mark.django_db
Status = Booking.Status


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


@pytest.fixture
def mother():
    return f.mother_with_baby(born=f.days_ago(20))


def book(mother, slug="kaneko-josanin", service="stay", nights=2, application=None, start=None):
    staff = f.facility_staff(slug)
    start = start or f.days_ago(-7)
    return booking_create(
        facility=staff.facility,
        mother=mother,
        actor=staff,
        service=service,
        start_date=start,
        end_date=start + timedelta(days=nights),
        application=application,
    )


def test_create_at_a_contracted_facility(mother) -> None:
    application = f.application_in("submitted", mother=mother)
    booking = book(mother, application=application)
    assert booking.status == Status.PROVISIONAL
    assert booking.municipality.code == f.SOJA
    assert (booking.end_date - booking.start_date).days == 2
    event = audit_for_application(application_id=application.pk).get(action="booking.create")
    assert event.after["status"] == "provisional" and event.actor == booking.created_by


def test_a_day_booking_is_one_day(mother) -> None:
    booking = book(mother, slug="hanada-josanin", service="day", nights=0)
    assert booking.start_date == booking.end_date


def test_a_facility_the_city_has_no_contract_with_is_refused(mother) -> None:
    with pytest.raises(ServiceError) as refused:
        book(mother, slug="sample-kumamoto-chuo-clinic")
    assert refused.value.field == "facility"
    assert not Booking.objects.exists()


def test_a_facility_no_longer_on_the_list_is_refused(mother) -> None:
    Contract.objects.filter(facility__slug="kaneko-josanin").update(listed=False)
    with pytest.raises(ServiceError) as refused:
        book(mother)
    assert refused.value.field == "facility"


def test_a_service_the_facility_does_not_offer_is_refused(mother) -> None:
    # 花田助産院 offers day care and home visits, no overnight stay.
    with pytest.raises(ServiceError) as refused:
        book(mother, slug="hanada-josanin", service="stay")
    assert refused.value.field == "service"
    assert not Booking.objects.exists()


def test_a_service_the_programme_does_not_have_is_refused(mother) -> None:
    with pytest.raises(ServiceError) as refused:
        book(mother, service="breast_care")
    assert refused.value.field == "service"


def test_end_before_start_is_refused(mother) -> None:
    with pytest.raises(ServiceError) as refused:
        book(mother, nights=-1)
    assert refused.value.field == "end_date"


def test_a_booking_cannot_name_another_mothers_application(mother) -> None:
    others = f.application_in("submitted")
    with pytest.raises(ServiceError) as refused:
        book(mother, application=others)
    assert refused.value.field == "application"


def test_kumamoto_books_day_care_by_its_duration() -> None:
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(20))
    booking = book(mother, slug="sample-kumamoto-higashi-josanin", service="day_3h", nights=0)
    assert booking.service == "day_3h"
    # きた総合病院 offers overnight stays only.
    with pytest.raises(ServiceError):
        book(mother, slug="sample-kumamoto-kita-hospital", service="day_3h", nights=0)


@pytest.mark.parametrize("confirmed", [False, True])
def test_cancel(mother, confirmed: bool) -> None:
    application = f.interviewed_application(mother=mother)
    booking = book(mother, application=application)
    if confirmed:
        application_approve(application=application, actor=f.approver(), grants={"stay": 2})
    midwife = f.facility_staff("kaneko-josanin")
    booking_cancel(booking=booking, actor=midwife)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    with pytest.raises(InvalidState):
        booking_cancel(booking=booking, actor=midwife)


def test_approval_confirms_every_held_booking_and_leaves_cancelled_ones(mother) -> None:
    application = f.interviewed_application(mother=mother)
    first = book(mother, application=application)
    second = book(mother, slug="tanbobo-josanin", application=application, start=f.days_ago(-20))
    dropped = book(mother, application=application, start=f.days_ago(-30))
    booking_cancel(booking=dropped, actor=f.clerk())
    unrelated = book(f.mother_with_baby(born=f.days_ago(20)))

    application_approve(application=application, actor=f.approver(), grants={"stay": 4})

    for booking in (first, second, dropped, unrelated):
        booking.refresh_from_db()
    assert (first.status, second.status) == (Status.CONFIRMED, Status.CONFIRMED)
    assert dropped.status == Status.CANCELLED
    assert unrelated.status == Status.PROVISIONAL


def test_rejection_releases_the_held_bookings(mother) -> None:
    application = f.interviewed_application(mother=mother)
    booking = book(mother, application=application)
    boss = f.approver()
    application_reject(application=application, actor=boss, reason="要件外")
    booking.refresh_from_db()
    assert booking.status == Status.RELEASED
    event = audit_for_application(application_id=application.pk).get(action="booking.release")
    assert event.actor == boss
    assert (event.before, event.after) == ({"status": "provisional"}, {"status": "released"})
    with pytest.raises(InvalidState):
        booking_cancel(booking=booking, actor=f.clerk())


def test_cancellation_of_the_application_releases_confirmed_bookings(mother) -> None:
    application = f.interviewed_application(mother=mother)
    booking = book(mother, application=application)
    boss = f.approver()
    application_approve(application=application, actor=boss, grants={"stay": 2})
    change = change_request_submit(application=application, actor=f.clerk(), kind="cancel")
    change_request_decide(change=change, actor=boss, approve=True)
    booking.refresh_from_db()
    assert booking.status == Status.RELEASED
