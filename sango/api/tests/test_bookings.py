"""/api/bookings/: provisional bookings by facility staff (for the voucher they are shown) and
municipal staff; everyone sees only their own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sango.api.tests.helpers import (
    assert_forbidden,
    assert_not_found,
    assert_unauthenticated,
    errors_of,
    fields_of,
)
from sango.bookings.models import Booking
from sango.bookings.services import booking_create
from sango.core.tests import factories as f
from sango.facilities.models import Facility
from sango.vouchers.services import voucher_qr_payload

URL = "/api/bookings/"


def soon(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def facility(slug: str) -> Facility:
    return Facility.objects.get(slug=slug)


def held(mother, slug="kaneko-josanin", **extra) -> Booking:
    return booking_create(
        facility=facility(slug),
        mother=mother,
        actor=f.clerk(),
        service="stay",
        start_date=timezone.localdate() + timedelta(days=3),
        end_date=timezone.localdate() + timedelta(days=4),
        **extra,
    )


def test_staff_book_for_a_mother(api, clerk, mother_user) -> None:
    data = {
        "facility": facility("kaneko-josanin").pk,
        "mother": mother_user.mother.pk,
        "service": "stay",
        "start_date": soon(3),
        "end_date": soon(4),
        "note": "午前に入所",
    }
    response = api(clerk).post(URL, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["status_display"]) == ("provisional", "仮予約")
    assert body["facility"]["slug"] == "kaneko-josanin" and body["municipality"] == f.SOJA
    assert body["mother"]["id"] == mother_user.mother.pk and body["end_date"] == soon(4)


def test_a_facility_books_for_the_voucher_it_is_shown(api, kaneko, voucher) -> None:
    data = {
        "number": voucher.number,
        "mother_birth_date": voucher.mother.birth_date.isoformat(),
        "service": "day",
        "start_date": soon(2),
        "end_date": soon(2),
    }
    response = api(kaneko).post(URL, data)
    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.facility == kaneko.facility and booking.mother == voucher.mother
    assert booking.application_id == voucher.application_id


def test_a_facility_books_only_at_its_own_facility(api, kaneko, voucher) -> None:
    data = {
        "qr": voucher_qr_payload(voucher),
        "facility": facility("hanada-josanin").pk,
        "service": "day",
        "start_date": soon(2),
        "end_date": soon(2),
    }
    assert fields_of(api(kaneko).post(URL, data)) == {"facility": "invalid"}


def test_a_facility_needs_the_voucher(api, kaneko, voucher, mother_user) -> None:
    base = {"service": "day", "start_date": soon(2), "end_date": soon(2)}
    assert fields_of(api(kaneko).post(URL, base)) == {"voucher": "voucher_required"}
    # An id it was never shown reads as unknown; so does a mother's id.
    assert fields_of(api(kaneko).post(URL, {**base, "voucher": voucher.pk})) == {
        "voucher": "does_not_exist"
    }
    wrong = {**base, "number": voucher.number, "mother_birth_date": "1980-01-01"}
    assert_not_found(api(kaneko).post(URL, wrong))


def test_create_names_the_fields_at_fault(api, clerk, mother_user) -> None:
    response = api(clerk).post(URL, {"start_date": soon(5), "end_date": soon(4)})
    assert fields_of(response) == {"service": "required"}
    data = {"service": "stay", "start_date": soon(5), "end_date": soon(4)}
    assert fields_of(api(clerk).post(URL, data)) == {"end_date": "invalid"}
    data = {"service": "stay", "start_date": soon(4), "end_date": soon(5)}
    assert fields_of(api(clerk).post(URL, data)) == {"facility": "required", "mother": "required"}
    # 花田助産院 offers no stays.
    data.update(facility=facility("hanada-josanin").pk, mother=mother_user.mother.pk)
    assert fields_of(api(clerk).post(URL, data)) == {"service": "invalid"}


def test_other_municipalitys_mother_reads_as_unknown(api, other_clerk, mother_user) -> None:
    data = {
        "facility": facility("kaneko-josanin").pk,
        "mother": mother_user.mother.pk,
        "service": "stay",
        "start_date": soon(3),
        "end_date": soon(4),
    }
    assert fields_of(api(other_clerk).post(URL, data)) == {"mother": "does_not_exist"}


def test_mothers_do_not_create_bookings(api, mother_user) -> None:
    data = {
        "facility": facility("kaneko-josanin").pk,
        "mother": mother_user.mother.pk,
        "service": "stay",
        "start_date": soon(3),
        "end_date": soon(4),
    }
    assert_forbidden(api(mother_user).post(URL, data))


def test_lists_are_scoped(api, clerk, other_clerk, kaneko, hanada, mother_user) -> None:
    at_kaneko = held(mother_user.mother)
    at_sakuranbo = held(f.mother_with_baby(born=f.days_ago(9)), slug="sakuranbo-josanin")

    def ids(user):
        return sorted(b["id"] for b in api(user).get(URL).json()["results"])

    assert ids(clerk) == sorted([at_kaneko.pk, at_sakuranbo.pk])
    assert ids(kaneko) == [at_kaneko.pk]
    assert ids(mother_user) == [at_kaneko.pk]
    assert ids(hanada) == [] and ids(other_clerk) == []
    assert_not_found(api(hanada).get(f"{URL}{at_kaneko.pk}/"))
    assert api(kaneko).get(f"{URL}{at_kaneko.pk}/").status_code == 200


def test_cancel(api, mother_user, hanada, other_clerk, other_mother_user) -> None:
    booking = held(mother_user.mother)
    url = f"{URL}{booking.pk}/cancel/"
    for user in (hanada, other_clerk, other_mother_user):
        assert_not_found(api(user).post(url))
    response = api(mother_user).post(url)
    assert response.status_code == 200 and response.json()["status_display"] == "取消"
    again = api(mother_user).post(url)
    assert [e["code"] for e in errors_of(again, 409)] == ["invalid_state"]


@pytest.mark.parametrize(
    "method, path", [("get", ""), ("post", ""), ("get", "1/"), ("post", "1/cancel/")]
)
def test_anonymous_is_refused(api, method, path) -> None:
    assert_unauthenticated(getattr(api(None), method)(f"{URL}{path}"))
