"""Every /my/ address, tried by everyone not entitled to it: anonymous visitors are sent to the
マイページ login, municipal and facility staff and administrators are refused, and another mother
finds none of this mother's vouchers, bookings, letters, claims, files or messages (404). The
addresses come from the URL configuration, so a page added later is covered, or this test
says it is not. The public pages (施設をさがす, sign-up, password reset, the app files) are
listed in PUBLIC and answer an anonymous visitor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse

from sango.applications.changes import change_request_submit
from sango.bookings.capacity import capacity_set
from sango.bookings.waitlist import waitlist_join
from sango.core.tests import factories as f
from sango.notifications.services import notify
from sango.portals.my.urls import urlpatterns
from sango.uploads.services import upload_store

pytestmark = pytest.mark.django_db

# Pages anyone may open (the finder, the ways into an account, the files a phone installs).
PUBLIC = {
    "login",
    "logout",
    "signup",
    "signup_sent",
    "signup_resend",
    "verify",
    "claim",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "find",
    "find_form",
    "find_results",
    "service_worker",
    "manifest",
}
# Addresses naming an object of hers, and which one.
OBJECT_OF = {
    "voucher": "voucher",
    "voucher_print": "voucher",
    "card_birth": "voucher",
    "booking": "booking",
    "booking_cancel": "booking",
    "waitlist_accept": "waitlist",
    "waitlist_withdraw": "waitlist",
    "change_new": "application",
    "change": "change",
    "letter": "decision",
    "reimburse_done": "reimbursement",
    "apply_upload_remove": "upload",
    "upload": "upload",
    "apply_done": "application",
    "message": "message",
}
# Addresses naming something that is not hers alone: a facility and a service to book.
SHARED_ARGS = {"booking_dates", "waitlist_join"}


@pytest.fixture
def objects():
    """A 総社市 mother with one object of each kind."""
    mother = f.mother_with_baby(born=f.days_ago(20), user=f.mother_user())
    application = f.approved_application(mother=mother, grants={"stay": 3, "day": 3})
    voucher = f.voucher_for(application)
    kaneko = f.facility_staff("kaneko-josanin")
    booking = f.provisional_booking(mother=mother, application=application)
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    full_night = f.days_ago(0) + timedelta(days=10)
    f.provisional_booking(mother=f.mother_with_baby(born=f.days_ago(15)), start=full_night)
    waiting = waitlist_join(
        facility=kaneko.facility, mother=mother, actor=mother.user, service="stay", day=full_night
    )
    change = change_request_submit(
        application=application, actor=mother.user, kind="cancel", reason="引っ越しのため"
    )
    upload = upload_store(
        actor=mother.user,
        mother=mother,
        file=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="receipt",
    )
    [message] = notify(recipients=[mother.user], key="access:test", subject="件名", body="本文")
    return {
        "mother": mother,
        "application": application,
        "voucher": voucher,
        "booking": booking,
        "waitlist": waiting,
        "change": change,
        "decision": application.decisions.get(),
        "reimbursement": f.reimbursement(voucher=voucher, by=mother.user),
        "upload": upload,
        "message": message,
        "kaneko": kaneko,
    }


def _addresses(objects, *, public: bool = False) -> list[tuple[str, str]]:
    found = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = pattern.name
        if (name in PUBLIC) != public:
            continue
        route = str(pattern.pattern)
        if name in SHARED_ARGS:
            args = [objects["kaneko"].facility_id, "stay"]
        elif "<int:pk>" in route:
            kind = OBJECT_OF.get(name)
            assert kind, f"add the /my/ address {name!r} to OBJECT_OF (or PUBLIC)"
            args = [objects[kind].pk]
        elif "<" in route:
            assert public, f"say what {name!r} takes in this test"
            continue  # public addresses with a token or a code are tried by their own tests
        else:
            args = []
        found.append((name, reverse(f"my:{name}", args=args)))
    return found


def _both(client, url):
    return [client.get(url), client.post(url, {})]


def test_anonymous_visitors_are_sent_to_the_mothers_login(client_for, objects):
    client = client_for(None)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("my:login")), name


def test_the_public_pages_open_for_anyone(client_for, objects):
    client = client_for(None)
    for name, url in _addresses(objects, public=True):
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("my:login")), name


@pytest.mark.parametrize("who", ["clerk", "approver", "facility", "admin"])
def test_staff_facilities_and_administrators_are_refused(client_for, objects, who):
    user = {
        "clerk": f.clerk,
        "approver": f.approver,
        "facility": lambda: objects["kaneko"],
        "admin": f.admin,
    }[who]()
    client = client_for(user)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            assert response.status_code in (403, 405), (name, response.status_code)


def test_another_mother_finds_nothing_of_hers(client_for, objects):
    other = f.mother_with_baby(born=f.days_ago(25), user=f.mother_user())
    client = client_for(other.user)
    for name, url in _addresses(objects):
        if name not in OBJECT_OF:
            continue
        for response in _both(client, url):
            assert response.status_code in (404, 405), (name, response.status_code)
    # Nothing of hers changed hands on the way.
    objects["booking"].refresh_from_db()
    objects["waitlist"].refresh_from_db()
    assert objects["booking"].status != "cancelled"
    assert objects["waitlist"].status == "waiting"
