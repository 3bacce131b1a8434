"""What was typed is bounded where it is stored (issue 9 A8): 5,000 infants, a booking on
9999-12-31 or 1,000 days long, an application received on 9999-12-31, unknown needs and
10,000-item lists are each a clear error naming the field, and nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sango.api.tests.helpers import fields_of
from sango.applications.models import Application
from sango.applications.services import application_create, application_submit
from sango.bookings.models import Booking
from sango.bookings.services import booking_create
from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.models import Mother

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes() -> None:
    f.load_programmes()


def test_five_thousand_infants_are_refused(client_for) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(f.clerk())
    baby = {"birth_date": (date.today() - timedelta(days=5)).isoformat()}
    data = {
        "name": "総社 花子",
        "name_kana": "ソウジャ ハナコ",
        "birth_date": "1994-05-20",
        "postal_code": "719-1131",
        "address": "岡山県総社市中央1-1-1",
        "phone": "0866-92-8261",
        "infants": [baby] * 5000,
    }
    assert fields_of(client.post("/api/mothers/", data, format="json")) == {"infants": "max_length"}
    assert not Mother.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(9999, 12, 30), date(9999, 12, 31), "start_date"),
        (None, 1000, "end_date"),
    ],
)
def test_a_far_or_endless_booking_is_refused(start, end, field) -> None:
    kaneko = f.facility_staff("kaneko-josanin")
    mother = f.mother_with_baby(born=f.days_ago(10))
    start = start or timezone.localdate() + timedelta(days=3)
    end = end if isinstance(end, date) else start + timedelta(days=end)
    with pytest.raises(ServiceError) as refused:
        booking_create(
            facility=kaneko.facility,
            mother=mother,
            actor=kaneko,
            service="stay",
            start_date=start,
            end_date=end,
        )
    assert refused.value.field == field
    assert not Booking.objects.exists()


def test_an_application_received_in_the_future_is_refused() -> None:
    clerk = f.clerk()
    application = application_create(actor=clerk, mother=f.mother_with_baby(born=f.days_ago(9)))
    with pytest.raises(ServiceError) as refused:
        application_submit(
            application=application,
            actor=clerk,
            channel="in_person",
            submitted_at=timezone.now().replace(year=9999),
        )
    assert refused.value.field == "submitted_at"
    assert Application.objects.get().status == Application.Status.DRAFT


@pytest.mark.parametrize("needs", [["not_a_need"], ["support_needed"] * 2])
def test_needs_are_the_programmes_each_once(needs) -> None:
    with pytest.raises(ServiceError) as refused:
        application_create(
            actor=f.clerk(), mother=f.mother_with_baby(born=f.days_ago(9)), needs=needs
        )
    assert refused.value.field == "needs"
    assert not Application.objects.exists()


def test_ten_thousand_needs_are_refused_at_the_api(api_clerk) -> None:
    mother = f.mother_with_baby(born=f.days_ago(9))
    response = api_clerk.post(
        "/api/applications/", {"mother": mother.pk, "needs": ["support_needed"] * 10_000}
    )
    assert fields_of(response) == {"needs": "max_length"}


@pytest.fixture
def api_clerk():
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(f.clerk())
    client.default_format = "json"
    return client
