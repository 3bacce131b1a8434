"""Her bookings: a request on a free day (waiting for the facility), a full day refused with
the waitlist offered, a 仮予約 in 総社市 before applying, no booking before approval where the
programme holds no dates, an offer from the waitlist taken up, cancelling before the deadline
and, after it, the facility's phone number; access to every booking URL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sango.bookings.capacity import capacity_set, closed_day_add
from sango.bookings.models import Booking, WaitlistEntry
from sango.bookings.services import booking_accept, booking_cancel
from sango.bookings.waitlist import waitlist_join
from sango.core.tests import factories as f

pytestmark = pytest.mark.django_db

KANEKO = "kaneko-josanin"


def ahead(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def kaneko():
    """Reception at かねこ助産院, one bed a night."""
    staff = f.facility_staff(KANEKO)
    capacity_set(facility=staff.facility, actor=staff, service="stay", places=1)
    return staff


@pytest.fixture
def approved(new_mother):
    mother = new_mother()
    f.approved_application(mother=mother, grants={"stay": 5})
    return mother


def dates_url(day, service: str = "stay") -> str:
    url = reverse("my:booking_dates", args=[f.facility(KANEKO).pk, service])
    return f"{url}?month={day:%Y-%m}"


def pick(client, day, nights: int = 1, *, token: str | None = None):
    """Open the calendar of the day's month and ask for ``day``, as her form would."""
    page = client.get(dates_url(day))
    once = token or page.context["form"]["once"].value()
    return client.post(dates_url(day), {"once": once, "day": day.isoformat(), "nights": nights})


def test_her_request_on_a_free_day_waits_for_the_facility(client_for, approved, kaneko):
    client = client_for(approved.user)
    page = client.get(dates_url(ahead(7))).content.decode()
    assert f'value="{ahead(7).isoformat()}"' in page and "空きあり" in page
    response = pick(client, ahead(7), nights=2)
    booking = Booking.objects.get(mother=approved)
    assert response.status_code == 302 and response["Location"] == reverse(
        "my:booking", args=[booking.pk]
    )
    assert booking.status == Booking.Status.REQUESTED
    assert (booking.start_date, booking.end_date) == (ahead(7), ahead(9))
    assert booking.application is not None
    done = client.get(response["Location"]).content.decode()
    assert "予約の申込を受け付けました" in done and "申込番号" in done
    booking_accept(booking=booking, actor=kaneko)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_a_double_tapped_request_books_once(client_for, approved, kaneko):
    client = client_for(approved.user)
    token = client.get(dates_url(ahead(7))).context["form"]["once"].value()
    pick(client, ahead(7), token=token)
    again = pick(client, ahead(7), token=token)
    assert again.status_code == 302
    assert Booking.objects.filter(mother=approved).count() == 1


def test_a_full_day_is_refused_with_the_waitlist_offered(client_for, approved, kaneko, new_mother):
    f.provisional_booking(mother=new_mother(), start=ahead(10))
    client = client_for(approved.user)
    response = pick(client, ahead(10))
    page = response.content.decode()
    assert response.status_code == 200 and "満床です" in page
    assert "キャンセル待ちに登録する" in page
    assert not Booking.objects.filter(mother=approved).exists()
    join = response.context["join_forms"][0]
    url = reverse("my:waitlist_join", args=[f.facility(KANEKO).pk, "stay"])
    joined = client.post(url, {"once": join["once"].value(), "day": ahead(10).isoformat()})
    assert joined.status_code == 302
    entry = WaitlistEntry.objects.get(mother=approved)
    assert entry.day == ahead(10) and entry.status == WaitlistEntry.Status.WAITING
    listed = client.get(reverse("my:bookings")).content.decode()
    assert "キャンセル待ち" in listed and "順番待ち" in listed


def test_an_offer_from_the_waitlist_is_taken_up(client_for, approved, kaneko, new_mother):
    other = f.provisional_booking(mother=new_mother(), start=ahead(10))
    waitlist_join(
        facility=kaneko.facility,
        mother=approved,
        actor=approved.user,
        service="stay",
        day=ahead(10),
    )
    booking_cancel(booking=other, actor=kaneko)
    client = client_for(approved.user)
    page = client.get(reverse("my:bookings"))
    assert "空きが出ました" in page.content.decode()
    entry = WaitlistEntry.objects.get(mother=approved)
    response = client.post(
        reverse("my:waitlist_accept", args=[entry.pk]),
        {"once": page.context["action_form"]["once"].value()},
    )
    booking = Booking.objects.get(mother=approved)
    assert response["Location"] == reverse("my:booking", args=[booking.pk])
    assert booking.status == Booking.Status.CONFIRMED


def test_soja_takes_a_provisional_booking_before_she_applies(client_for, new_mother, kaneko):
    mother = new_mother()
    client = client_for(mother.user)
    listed = client.get(reverse("my:bookings")).content.decode()
    assert "施設を仮予約する" in listed
    assert "仮予約を申し込む" in client.get(dates_url(ahead(7))).content.decode()
    pick(client, ahead(7))
    booking = Booking.objects.get(mother=mother)
    assert booking.status == Booking.Status.REQUESTED and booking.application is None
    booking_accept(booking=booking, actor=kaneko)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PROVISIONAL
    page = client.get(reverse("my:booking", args=[booking.pk])).content.decode()
    assert "仮予約です" in page
    # when she applies, the date follows her application; its approval confirms it
    application = f.approved_application(mother=mother, grants={"stay": 3})
    booking.refresh_from_db()
    assert booking.application == application and booking.status == Booking.Status.CONFIRMED


def test_where_no_date_is_held_before_approval_she_is_told_when_she_can_book(
    client_for, new_mother
):
    mother = new_mother(code=f.KUMAMOTO)  # 利用カード: no card yet, no provisional booking
    client = client_for(mother.user)
    assert "利用券が届いてから" in client.get(reverse("my:bookings")).content.decode()
    assert "利用券が届いてから" in client.get(reverse("my:booking_new")).content.decode()


def test_she_picks_a_service_then_a_facility_of_her_programme_by_area(client_for, approved):
    client = client_for(approved.user)
    services = client.get(reverse("my:booking_new")).content.decode()
    assert "?service=stay" in services and "短期入所（ショートステイ）型" in services
    page = client.get(reverse("my:booking_new") + "?service=stay").content.decode()
    assert "かねこ助産院" in page and "<summary>総社市（" in page and "<summary>倉敷市（" in page
    assert reverse("my:booking_dates", args=[f.facility(KANEKO).pk, "stay"]) in page
    kumamoto = f.Facility.objects.filter(contracts__municipality__code=f.KUMAMOTO).exclude(
        contracts__municipality__code=f.SOJA
    )
    assert kumamoto.exists() and all(facility.name not in page for facility in kumamoto)
    # her own city comes first and is open
    assert page.index("総社市（") < page.index("倉敷市（")


def test_a_facility_of_another_programme_is_not_found(client_for, approved):
    other = f.Facility.objects.exclude(contracts__municipality__code=f.SOJA).first()
    url = reverse("my:booking_dates", args=[other.pk, "stay"])
    assert client_for(approved.user).get(url).status_code == 404


def test_outside_the_postpartum_window_every_reason_is_shown(client_for, new_mother, kaneko):
    mother = new_mother(born=f.days_ago(360))  # 1年以内: the window ends in 5 days
    f.approved_application(mother=mother, grants={"stay": 5})
    response = pick(client_for(mother.user), ahead(20))
    page = response.content.decode()
    assert 'class="refusal"' in page and "産後の利用期間の外です" in page
    assert not Booking.objects.filter(mother=mother).exists()


@pytest.mark.parametrize("when", ["closed", "beyond_horizon"])
def test_a_day_the_facility_does_not_take_is_refused_at_the_field(
    client_for, approved, kaneko, when
):
    day = ahead(9) if when == "closed" else ahead(95)  # the default horizon is 90 days
    if when == "closed":
        closed_day_add(facility=kaneko.facility, actor=kaneko, day=day, note="研修")
    client = client_for(approved.user)
    page = client.get(dates_url(day)).content.decode()
    assert f'value="{day.isoformat()}"' not in page
    response = pick(client, day)
    assert "この日は予約できません" in response.context["form"].errors["day"][0]
    assert 'class="error-summary"' in response.content.decode()
    assert not Booking.objects.filter(mother=approved).exists()


def test_she_cancels_before_the_deadline(client_for, approved, kaneko):
    booking = f.provisional_booking(mother=approved, start=ahead(7))
    client = client_for(approved.user)
    listed = client.get(reverse("my:bookings")).content.decode()
    assert "取消の期限" in listed
    page = client.get(reverse("my:booking", args=[booking.pk]))
    assert "この予約を取り消す" in page.content.decode()
    response = client.post(
        reverse("my:booking_cancel", args=[booking.pk]),
        {"once": page.context["action_form"]["once"].value()},
    )
    assert response["Location"] == reverse("my:bookings")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED


def test_after_the_deadline_she_is_told_to_phone_the_facility(client_for, approved, kaneko):
    booking = f.provisional_booking(mother=approved, start=ahead(1))
    client = client_for(approved.user)
    with f.frozen_now(f.at(ahead(1), 0) - timedelta(hours=2)):  # 24 h before: passed
        page = client.get(reverse("my:booking", args=[booking.pk]))
        html = page.content.decode()
        assert "取消の期限を過ぎています" in html and "この予約を取り消す" not in html
        phone = kaneko.facility.phone
        assert not phone or phone in html
        response = client.post(
            reverse("my:booking_cancel", args=[booking.pk]),
            {"once": page.context["action_form"]["once"].value()},
        )
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status != Booking.Status.CANCELLED


# --- access -------------------------------------------------------------------------------------


@pytest.fixture
def urls(approved, kaneko, new_mother):
    booking = f.provisional_booking(mother=approved, start=ahead(7))
    f.provisional_booking(mother=new_mother(), start=ahead(10))
    entry = waitlist_join(
        facility=kaneko.facility,
        mother=approved,
        actor=approved.user,
        service="stay",
        day=ahead(10),
    )
    facility = kaneko.facility.pk
    return {
        "mine": [
            ("get", reverse("my:booking", args=[booking.pk])),
            ("post", reverse("my:booking_cancel", args=[booking.pk])),
            ("post", reverse("my:waitlist_accept", args=[entry.pk])),
            ("post", reverse("my:waitlist_withdraw", args=[entry.pk])),
        ],
        "any": [
            ("get", reverse("my:bookings")),
            ("get", reverse("my:booking_new")),
            ("get", reverse("my:booking_dates", args=[facility, "stay"])),
            ("post", reverse("my:waitlist_join", args=[facility, "stay"])),
        ],
    }


def test_anonymous_visitors_go_to_the_login(client_for, urls):
    for method, url in urls["mine"] + urls["any"]:
        response = getattr(client_for(None), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/my/login/")


@pytest.mark.parametrize("who", ["clerk", "facility"])
def test_staff_and_facility_accounts_are_refused(client_for, urls, who):
    user = f.clerk() if who == "clerk" else f.facility_staff(KANEKO)
    for method, url in urls["mine"] + urls["any"]:
        assert getattr(client_for(user), method)(url).status_code == 403, url


def test_another_mother_finds_none_of_hers(client_for, urls, new_mother):
    client = client_for(new_mother().user)
    for method, url in urls["mine"]:
        assert getattr(client, method)(url, {"once": "x"}).status_code == 404, url
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).count() == 0
