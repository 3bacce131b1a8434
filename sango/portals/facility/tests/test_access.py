"""Every /facility/ address, tried by everyone not entitled to it: anonymous visitors are sent
to the facility login, mothers and municipal staff are refused, and another facility finds
none of this facility's bookings, uses, claims or waitlist entries (404). The addresses come
from the URL configuration, so a page added later is covered or this test says it is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse

from sango.billing.services import claim_generate
from sango.bookings.capacity import capacity_set
from sango.bookings.models import ClosedDay
from sango.bookings.waitlist import waitlist_join
from sango.core.tests import factories as f
from sango.portals.facility.urls import urlpatterns
from sango.usage.services import use_record

OBJECT_OF = {
    "booking": "booking",
    "booking_accept": "booking",
    "booking_decline": "booking",
    "booking_cancel": "booking",
    "closed_day_remove": "closed_day",
    "waitlist_accept": "waitlist",
    "waitlist_withdraw": "waitlist",
    "claim": "claim",
    "claim_submit": "claim",
    "claim_regenerate": "claim",
    "claim_pdf": "claim",
    "claim_csv": "claim",
    "use": "use",
    "use_correct": "use",
    "receipt": "use",
}
OPEN = {"login", "logout"}


@pytest.fixture
def objects(kaneko):
    """One object of each kind at かねこ助産院."""
    facility = kaneko.facility
    application = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), grants={"stay": 3, "day": 3}
    )
    voucher = f.voucher_for(application)
    use = use_record(
        voucher_id=voucher.pk,
        facility=facility,
        actor=kaneko,
        idempotency_key="access-1",
        service="day",
        day=f.days_ago(1),
        fee=12000,
    )
    booking = f.provisional_booking(mother=application.mother, application=application)
    capacity_set(facility=facility, actor=kaneko, service="stay", places=1)
    full_night = f.days_ago(0) + timedelta(days=10)
    f.provisional_booking(
        mother=f.mother_with_baby(born=f.days_ago(15)), start=full_night, nights=1
    )
    waiting = waitlist_join(
        facility=facility,
        mother=application.mother,
        actor=f.clerk(),
        service="stay",
        day=full_night,
    )
    claim = claim_generate(
        facility=facility,
        municipality=f.municipality(),
        month=f.days_ago(1).replace(day=1),
        actor=kaneko,
    )
    closed = ClosedDay.objects.create(facility=facility, day=f.days_ago(0) + timedelta(days=20))
    return {
        "booking": booking,
        "closed_day": closed,
        "waitlist": waiting,
        "claim": claim,
        "use": use,
    }


def _addresses(objects) -> list[tuple[str, str]]:
    found = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in OPEN:
            continue
        if "<int:pk>" in str(pattern.pattern):
            kind = OBJECT_OF.get(pattern.name)
            assert kind, f"add /facility/ address {pattern.name!r} to OBJECT_OF"
            found.append(
                (pattern.name, reverse(f"facility:{pattern.name}", args=[objects[kind].pk]))
            )
        else:
            found.append((pattern.name, reverse(f"facility:{pattern.name}")))
    return found


def _both(client, url):
    return [client.get(url), client.post(url, {})]


def test_anonymous_visitors_are_sent_to_the_facility_login(client_for, objects):
    client = client_for(None)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("facility:login")), name


@pytest.mark.parametrize("who", ["mother", "clerk", "approver", "admin"])
def test_mothers_and_municipal_staff_are_refused(client_for, objects, who):
    user = {
        "mother": lambda: f.mother_with_baby(born=f.days_ago(10), user=f.mother_user()).user,
        "clerk": f.clerk,
        "approver": f.approver,
        "admin": f.admin,
    }[who]()
    client = client_for(user)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            assert response.status_code in (403, 405), (name, response.status_code)


def test_another_facility_finds_nothing_of_this_one(client_for, objects, kunitomi):
    client = client_for(kunitomi)
    for name, url in _addresses(objects):
        if name not in OBJECT_OF:
            continue
        for response in _both(client, url):
            assert response.status_code in (404, 405), (name, response.status_code)
