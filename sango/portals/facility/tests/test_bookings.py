"""空き状況と予約: the calendar (never names), the settings, a booking taken by phone, the
answer to a request, cancellation and the waitlist; bad input kept, double submits saved once,
every URL closed to others, and the pages' queries flat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sango.bookings.capacity import capacity_set, closed_day_add
from sango.bookings.models import Booking, Capacity, ClosedDay, WaitlistEntry
from sango.bookings.services import booking_request
from sango.bookings.waitlist import waitlist_join
from sango.core.tests import factories as f
from sango.core.wareki import wareki

Status = Booking.Status


def ahead(days: int):
    return f.days_ago(-days)


def request_stay(mother=None, *, start=None, nights=1, slug="kaneko-josanin") -> Booking:
    mother = mother or f.mother_with_baby(born=f.days_ago(20))
    start = start or ahead(7)
    return booking_request(
        facility=f.facility(slug),
        mother=mother,
        actor=f.clerk(mother.municipality.code),
        service="stay",
        start_date=start,
        end_date=start + timedelta(days=nights),
    )


def once(client, url: str, name: str = "form") -> str:
    return client.get(url).context[name]["once"].value()


def post_once(client, url: str, data: dict, token: str | None = None):
    return client.post(url, {"once": token or "t-" + url + str(sorted(data.items())), **data})


# --- access ------------------------------------------------------------------------------------


def every_url(booking: Booking, entry: WaitlistEntry, closed: ClosedDay) -> list[tuple[str, str]]:
    return [
        ("get", reverse("facility:bookings")),
        ("get", reverse("facility:booking_settings")),
        ("post", reverse("facility:closed_day_add")),
        ("post", reverse("facility:closed_day_remove", args=[closed.pk])),
        ("get", reverse("facility:booking_new")),
        ("get", reverse("facility:booking", args=[booking.pk])),
        ("post", reverse("facility:booking_accept", args=[booking.pk])),
        ("post", reverse("facility:booking_decline", args=[booking.pk])),
        ("post", reverse("facility:booking_cancel", args=[booking.pk])),
        ("post", reverse("facility:waitlist_join")),
        ("post", reverse("facility:waitlist_accept", args=[entry.pk])),
        ("post", reverse("facility:waitlist_withdraw", args=[entry.pk])),
    ]


@pytest.fixture
def world(kaneko):
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    booking = request_stay()
    entry = waitlist_join(
        facility=kaneko.facility,
        mother=f.mother_with_baby(born=f.days_ago(20)),
        actor=kaneko,
        service="stay",
        day=ahead(7),
    )
    closed = closed_day_add(facility=kaneko.facility, actor=kaneko, day=ahead(30))
    return every_url(booking, entry, closed)


def test_anonymous_visitors_go_to_the_login(client_for, world):
    for method, url in world:
        response = getattr(client_for(None), method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("facility:login")), url


@pytest.mark.parametrize("who", ["mother", "clerk"])
def test_mothers_and_municipal_staff_are_refused(client_for, world, who):
    user = f.mother_user() if who == "mother" else f.clerk()
    for method, url in world:
        assert getattr(client_for(user), method)(url).status_code == 403, url


def test_another_facility_finds_nothing(client_for, world, kunitomi):
    client = client_for(kunitomi)
    for method, url in world:
        if "/bookings/" in url and any(ch.isdigit() for ch in url.split("/bookings/")[1]):
            assert getattr(client, method)(url, {"once": "x"}).status_code == 404, url
    # its own pages open, with nothing of かねこ助産院 in them
    page = client.get(reverse("facility:bookings")).content.decode()
    assert "試験 花子" not in page
    assert not ClosedDay.objects.filter(facility=kunitomi.facility).exists()


# --- the calendar and the lists ---------------------------------------------------------------


def test_the_calendar_shows_free_places_and_states_never_names(client_for, kaneko):
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=2)
    start = ahead(3)
    mother = f.mother_with_baby(born=f.days_ago(20))
    request_stay(mother, start=start)
    request_stay(start=start)
    month = start.strftime("%Y-%m")
    response = client_for(kaneko).get(reverse("facility:bookings"), {"month": month})
    page = response.content.decode()
    calendar = page.split('class="calendar"')[1].split("</table>")[0]
    assert "満床" in calendar and "空きあり" in calendar and "空き 0/2" in calendar
    assert mother.name not in calendar
    assert "短期入所（ショートステイ）型／宿泊型" in page  # the programmes' names, not "stay"
    assert ">stay<" not in page
    # the requests list names her, with the buttons to answer
    requests = page.split('id="h-requests"')[1].split("</section>")[0]
    assert mother.name in requests and "受ける" in requests and "お断りする" in requests
    next_month = response.context["calendar"].next.strftime("%Y-%m")
    assert f"month={next_month}" in page


def test_the_calendar_of_each_service_and_an_unknown_one(client_for, kaneko):
    client = client_for(kaneko)
    page = client.get(reverse("facility:bookings"), {"service": "day"}).content.decode()
    assert "通所（デイサービス）型／日帰り型の空き状況" in page
    assert client.get(reverse("facility:bookings"), {"service": "nope"}).status_code == 404
    # an unreadable month falls back to this month
    assert client.get(reverse("facility:bookings"), {"month": "x"}).status_code == 200


def test_today_lists_the_requests_waiting_for_an_answer(client_for, kaneko):
    mother = f.mother_with_baby(born=f.days_ago(20))
    booking = request_stay(mother)
    page = client_for(kaneko).get(reverse("facility:home")).content.decode()
    waiting = page.split('id="h-waiting"')[1].split("</section>")[0]
    assert mother.name in waiting and reverse("facility:booking", args=[booking.pk]) in waiting


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_bookings(client_for, kaneko):
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=60)
    request_stay()
    f.provisional_booking(mother=f.mother_with_baby(born=f.days_ago(20)))
    client = client_for(kaneko)
    urls = [reverse("facility:bookings"), reverse("facility:home")]
    one = [queries(client, url) for url in urls]
    for n in range(49):
        request_stay(start=ahead(2 + n % 20))
        f.provisional_booking(mother=f.mother_with_baby(born=f.days_ago(20)), start=ahead(3))
    assert [queries(client, url) for url in urls] == one


# --- settings -----------------------------------------------------------------------------------


SETTINGS = {
    "places_stay": "２",
    "places_day": "",
    "places_visit": "3",
    "horizon_days": "60",
    "cancel_hours": "24",
    "cancel_note": "前日以降のキャンセルは施設の規定によりキャンセル料がかかります。",
    "offer_hours": "12",
}


def test_settings_save_capacity_and_policy_once(client_for, kaneko):
    client = client_for(kaneko)
    url = reverse("facility:booking_settings")
    token = once(client, url)
    for _ in range(2):
        response = client.post(url, {**SETTINGS, "once": token})
        assert response.status_code == 302
    assert dict(Capacity.objects.values_list("service", "places")) == {"stay": 2, "visit": 3}
    page = client.get(url).content.decode()
    assert 'value="2"' in page and "施設の規定により" in page
    assert kaneko.facility.booking_policy.horizon_days == 60


def test_bad_settings_are_kept_with_the_message_at_the_field(client_for, kaneko):
    client = client_for(kaneko)
    url = reverse("facility:booking_settings")
    data = {**SETTINGS, "places_stay": "ふたつ", "offer_hours": "0", "once": once(client, url)}
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["places_stay"] == ["数字で入力してください。"]
    assert "offer_hours" in form.errors
    page = response.content.decode()
    assert 'value="ふたつ"' in page and "入力内容を確認してください" in page
    assert not Capacity.objects.exists()


def test_a_capacity_below_the_bookings_is_refused_naming_the_days(client_for, kaneko):
    mothers = [f.mother_with_baby(born=f.days_ago(20)) for _ in range(2)]
    for mother in mothers:
        request_stay(mother, start=ahead(5))
    client = client_for(kaneko)
    url = reverse("facility:booking_settings")
    response = client.post(url, {**SETTINGS, "places_stay": "1", "once": once(client, url)})
    assert response.status_code == 200
    [message] = response.context["form"].errors["places_stay"]
    assert f"{wareki(ahead(5))}（2件）" in message
    assert not any(m.name in message for m in mothers)
    assert not Capacity.objects.exists()


def test_closed_days_are_added_and_removed(client_for, kaneko):
    client = client_for(kaneko)
    url = reverse("facility:booking_settings")
    token = once(client, url, "closed_form")
    day = ahead(12)
    add = reverse("facility:closed_day_add")
    for _ in range(2):
        client.post(add, {"day": day.isoformat(), "note": "研修", "once": token})
    closed = ClosedDay.objects.get()
    assert (closed.day, closed.note) == (day, "研修")
    response = client.post(add, {"day": "きのう", "note": "", "once": "other"})
    assert response.status_code == 200
    assert "日付として読めません" in response.context["closed_form"].errors["day"][0]
    page = client.get(url).content.decode()
    assert "研修" in page
    client.post(reverse("facility:closed_day_remove", args=[closed.pk]), {"once": "rm"})
    assert not ClosedDay.objects.exists()


# --- a booking by phone -----------------------------------------------------------------------


@pytest.fixture
def shown(kaneko):
    """A voucher かねこ助産院 has been shown (an earlier booking there)."""
    mother = f.mother_with_baby(born=f.days_ago(20))
    application = f.approved_application(mother=mother, grants={"stay": 3})
    f.provisional_booking(mother=mother, application=application, start=ahead(40))
    return f.voucher_for(application)


def new_booking(client, voucher, **changes):
    url = reverse("facility:booking_new")
    data = {
        "voucher": str(voucher.pk),
        "service": "stay",
        "start_date": ahead(10).isoformat(),
        "end_date": ahead(11).isoformat(),
        "note": "午前に入所",
        "once": once(client, url),
        **changes,
    }
    return client.post(url, data), data


def test_a_booking_by_phone_is_confirmed_for_an_approved_voucher_and_saved_once(
    client_for, kaneko, shown
):
    client = client_for(kaneko)
    response, data = new_booking(client, shown)
    again = client.post(reverse("facility:booking_new"), data)
    booking = Booking.objects.get(start_date=ahead(10))
    assert (
        response["Location"] == again["Location"] == reverse("facility:booking", args=[booking.pk])
    )
    assert booking.status == Status.CONFIRMED and booking.mother == shown.mother
    page = client.get(response["Location"]).content.decode()
    assert shown.mother.name in page and "確定" in page and "この予約を取り消す" in page


def test_bad_dates_are_kept_with_the_message_at_the_field(client_for, kaneko, shown):
    client = client_for(kaneko)
    response, _ = new_booking(client, shown, start_date="令和9年13月1日", end_date="R8.12.1")
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert 'value="令和9年13月1日"' in response.content.decode()
    response, _ = new_booking(client, shown, end_date=ahead(9).isoformat())
    assert response.context["form"].errors["end_date"] == ["終了日は開始日以降にしてください。"]
    assert Booking.objects.count() == 1  # the earlier one only


def test_a_full_day_offers_the_waitlist(client_for, kaneko, shown):
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    request_stay(start=ahead(10))
    client = client_for(kaneko)
    response, _ = new_booking(client, shown)
    page = response.content.decode()
    assert response.status_code == 200
    assert "満床です。キャンセル待ちに登録できます。" in page
    join = response.context["join_forms"][0]
    data = {
        "once": join["once"].value(),
        "voucher": shown.pk,
        "service": "stay",
        "day": ahead(10).isoformat(),
    }
    for _ in range(2):
        response = client.post(reverse("facility:waitlist_join"), data)
    entry = WaitlistEntry.objects.get()
    assert (entry.mother, entry.day, entry.status) == (shown.mother, ahead(10), "waiting")
    waitlist = client.get(response["Location"]).content.decode().split('id="h-waitlist"')[1]
    assert shown.mother.name in waitlist.split("</section>")[0]


def test_a_booking_outside_the_facilitys_window_shows_the_reason(client_for, kunitomi):
    # くにとみクリニック takes 総社市's stays 産後3か月以内
    mother = f.mother_with_baby(born=f.days_ago(80))
    application = f.approved_application(mother=mother, grants={"stay": 3})
    f.provisional_booking(mother=mother, application=application, slug="kunitomi-clinic")
    voucher = f.voucher_for(application)
    response, _ = new_booking(
        client_for(kunitomi),
        voucher,
        start_date=ahead(5).isoformat(),
        end_date=ahead(20).isoformat(),
    )
    page = response.content.decode()
    assert "くにとみクリニックの短期入所（ショートステイ）型は産後3か月以内" in page
    assert 'class="refusal"' in page


# --- answering, cancelling, the waitlist ------------------------------------------------------


def test_accept_from_the_list(client_for, kaneko):
    booking = request_stay()
    client = client_for(kaneko)
    page = client.get(reverse("facility:bookings"))
    token = page.context["requests"][0].once_accept
    for _ in range(2):
        client.post(reverse("facility:booking_accept", args=[booking.pk]), {"once": token})
    booking.refresh_from_db()
    assert booking.status == Status.PROVISIONAL


def test_decline_needs_a_reason(client_for, kaneko):
    booking = request_stay()
    client = client_for(kaneko)
    url = reverse("facility:booking_decline", args=[booking.pk])
    response = client.post(url, {"reason": "", "once": "d1"})
    assert response.status_code == 200
    assert response.context["decline_form"].errors["reason"] == [
        "お断りする理由を入力してください。"
    ]
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED
    response = client.post(url, {"reason": "その日は助産師が不在のため", "once": "d1"})
    assert response["Location"] == reverse("facility:bookings")
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == (
        Status.DECLINED,
        "その日は助産師が不在のため",
    )
    page = client.get(reverse("facility:booking", args=[booking.pk])).content.decode()
    assert "その日は助産師が不在のため" in page and "受ける" not in page


def test_a_cancellation_offers_the_place_to_the_waitlist(client_for, kaneko):
    capacity_set(facility=kaneko.facility, actor=kaneko, service="stay", places=1)
    booking = request_stay()
    waiting = f.mother_with_baby(born=f.days_ago(20))
    entry = waitlist_join(
        facility=kaneko.facility, mother=waiting, actor=kaneko, service="stay", day=ahead(7)
    )
    client = client_for(kaneko)
    token = client.get(reverse("facility:booking", args=[booking.pk])).context["cancel_form"]
    client.post(
        reverse("facility:booking_cancel", args=[booking.pk]), {"once": token["once"].value()}
    )
    booking.refresh_from_db()
    entry.refresh_from_db()
    assert (booking.status, entry.status) == (Status.CANCELLED, "offered")
    response = client.get(reverse("facility:bookings"))
    waitlist = response.content.decode().split('id="h-waitlist"')[1].split("</section>")[0]
    assert waiting.name in waitlist and "空きをご案内中" in waitlist and "回答期限" in waitlist
    row = response.context["waitlist"][0]
    client.post(reverse("facility:waitlist_accept", args=[entry.pk]), {"once": row.once_accept})
    entry.refresh_from_db()
    assert entry.status == "accepted" and entry.booking.mother == waiting


def test_a_refused_action_says_why(client_for, kaneko):
    booking = request_stay()
    client = client_for(kaneko)
    client.post(reverse("facility:booking_cancel", args=[booking.pk]), {"once": "c1"})
    response = client.post(
        reverse("facility:booking_cancel", args=[booking.pk]), {"once": "c2"}, follow=True
    )
    assert "すでに解除、取消またはお断りされています" in response.content.decode()
