"""施設をさがす through the web, as a mother (or anyone) would: public, her birth date and tier kept
out of every address, the facilities of her municipality with their windows, rules, copays and
availability, filtered by service and area, a page at a time."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sango.bookings.capacity import capacity_set, closed_day_add
from sango.bookings.places import places_of
from sango.bookings.selectors import availability, availability_of_facilities
from sango.core.tests import factories as f
from sango.core.wareki import wareki
from sango.facilities.models import Facility
from sango.portals.my.finder import PER_PAGE, SESSION_KEY
from sango.programs.registry import get_registry

pytestmark = pytest.mark.django_db

FORM = "/my/find/332089/"
RESULTS = "/my/find/332089/results/"


def today() -> date:
    return timezone.localdate()


def search(client, *, day: str | None = None, code: str = f.SOJA, **fields):
    """POST the form with a baby born 30 days ago unless told otherwise."""
    data = {
        "born": "born",
        "day": day or (today() - timedelta(days=30)).isoformat(),
        "infants": "1",
        "service": "",
        "tier": "unknown",
        **fields,
    }
    return client.post(f"/my/find/{code}/", data)


def results(client, query: str = "", code: str = f.SOJA) -> str:
    response = client.get(f"/my/find/{code}/results/{query}")
    assert response.status_code == 200
    return response.content.decode()


def words(html: str) -> str:
    """The page's text as read, without its tags."""
    return re.sub(r"<[^>]+>", "", html)


def cards(html: str) -> list[str]:
    return re.findall(r'<h2 class="find-card__name">([^<]+)', html)


# --- the way in -------------------------------------------------------------------------------


def test_anyone_may_search_without_logging_in(client, client_for, new_mother):
    assert client.get("/my/find/").status_code == 200
    assert client.get(FORM).status_code == 200
    assert client_for(new_mother().user).get(FORM).status_code == 200
    assert client_for(f.clerk()).get(FORM).status_code == 200


def test_she_chooses_among_the_loaded_municipalities(client):
    html = client.get("/my/find/").content.decode()
    assert 'href="/my/find/332089/"' in html and 'href="/my/find/431001/"' in html


def test_with_one_programme_there_is_no_question(client, monkeypatch):
    only = [get_registry().get(f.SOJA)]
    monkeypatch.setattr("sango.portals.my.views.find.programmes", lambda: only)
    response = client.get("/my/find/")
    assert response.status_code == 302
    assert response["Location"] == FORM


def test_an_unknown_municipality_is_not_found(client):
    assert client.get("/my/find/999999/").status_code == 404


def test_results_without_criteria_go_back_to_the_form(client):
    response = client.get(RESULTS)
    assert response.status_code == 302
    assert response["Location"] == FORM


def test_the_form_asks_in_the_programmes_words(client):
    html = client.get(FORM).content.decode()
    for words in ("上記以外の方", "市民税非課税世帯", "わからない", "居宅訪問（アウトリーチ）型"):
        assert words in html
    assert "tax_exempt" not in html.replace('value="tax_exempt"', "")


# --- personal data stays out of addresses ------------------------------------------------------


def test_the_birth_date_and_tier_never_appear_in_an_address(client):
    born = today() - timedelta(days=30)
    response = search(client, day=born.isoformat(), tier="taxable", service="stay")
    assert response.status_code == 302
    location = response["Location"]
    assert location == f"{RESULTS}?service=stay"
    html = results(client, "?service=stay")
    addresses = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert addresses
    spelt = {born.isoformat(), born.strftime("%Y%m%d"), f"{born.month}/{born.day}", "taxable"}
    for address in [location, *addresses]:
        assert not any(s in address for s in spelt), address
    assert client.session[SESSION_KEY]["start"] == born.isoformat()


def test_the_form_comes_back_filled_from_her_session(client):
    search(client, day="2026-11-03", infants="2", tier="welfare")
    html = client.get(FORM).content.decode()
    assert 'value="2026-11-03"' in html
    assert re.search(r'value="2"[^>]*checked', html)
    assert re.search(r'value="welfare"[^>]*checked', html)


# --- bad input ---------------------------------------------------------------------------------


def test_a_birth_date_in_the_future_is_refused_next_to_the_field(client):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = search(client, day=tomorrow)
    html = response.content.decode()
    assert response.status_code == 400
    assert "生まれた日が今日より後になっています" in html
    assert f'value="{tomorrow}"' in html  # nothing typed is lost
    assert SESSION_KEY not in client.session


def test_a_due_date_far_in_the_past_is_refused(client):
    response = search(client, born="due", day=(today() - timedelta(days=60)).isoformat())
    assert response.status_code == 400
    assert "出産予定日が2週間より前になっています" in response.content.decode()


def test_a_birth_whose_window_has_passed_is_told_in_words(client):
    response = search(client, day=(today() - timedelta(days=800)).isoformat())
    html = response.content.decode()
    assert response.status_code == 400
    assert "総社市の産後ケアを利用できる期間（産後1年以内" in html
    assert "を過ぎています" in html


def test_an_unreadable_date_says_what_it_expects(client):
    response = search(client, day="きのう")
    assert response.status_code == 400
    assert "日付として読めません" in response.content.decode()


def test_full_width_digits_and_wareki_are_read(client):
    assert search(client, day="２０２６－１１－０３").status_code == 302
    assert client.session[SESSION_KEY]["start"] == "2026-11-03"
    assert search(client, day="令和8年11月3日").status_code == 302
    assert client.session[SESSION_KEY]["start"] == "2026-11-03"
    assert search(client, day="R8.11.3").status_code == 302


# --- what each facility shows -----------------------------------------------------------------


def test_each_window_is_counted_from_the_birth_and_shown_in_wareki(client):
    born = today() - timedelta(days=20)
    search(client, day=born.isoformat())
    html = results(client)
    last = born + relativedelta(months=4)
    assert f'産後4か月以内: <time datetime="{last.isoformat()}"' in html
    assert f"{wareki(last)}</time>まで利用できます" in html


def test_contact_first_and_own_patients_only_in_the_programmes_words(client):
    search(client)
    page_one = results(client)
    assert (
        "利用を希望するときは、まず総社市役所 こども課 母子保健係へ連絡してください。" in page_one
    )
    assert 'href="tel:0866928261"' in page_one
    own = results(client, "?area=倉敷市")  # 倉敷中央病院 (倉敷市美和) takes its own patients only
    assert "受診者のみ: この施設で出産・受診した方だけが利用できます。" in own


def test_unknown_fees_are_said_in_words(client):
    capacity_set(
        facility=f.facility("kaneko-josanin"),
        actor=f.facility_staff("kaneko-josanin"),
        service="stay",
        places=2,
    )
    search(client, tier="taxable")
    html = results(client, "?service=stay&area=倉敷市")
    kaneko = html[html.index(">かねこ助産院<") :]
    assert "料金は施設にお問い合わせください。" in kaneko[: kaneko.index("</li>")]
    # Neither fee nor capacity known: one sentence for both.
    assert "料金と空き状況は施設にお問い合わせください。" in html
    assert "fee" not in html.lower()


def test_her_tier_gives_her_copay_per_unit(client):
    search(client, code=f.KUMAMOTO, tier="taxable")
    html = results(client, "?service=stay", code=f.KUMAMOTO)
    assert "自己負担額の目安 1泊あたり 3,600円" in words(html)  # 10% of 36,000円
    assert "世帯の区分: 上記以外の世帯" in words(html)
    assert "生活保護世帯" not in html


def test_twins_pay_for_the_second_baby(client):
    search(client, code=f.KUMAMOTO, tier="taxable", infants="2")
    html = results(client, "?service=stay", code=f.KUMAMOTO)
    assert "自己負担額の目安 1泊あたり 4,200円" in words(html)  # 10% of 36,000 + 6,000円


def test_not_knowing_her_tier_shows_every_tiers_copay(client):
    search(client, code=f.KUMAMOTO, tier="unknown")
    html = results(client, "?service=stay", code=f.KUMAMOTO)
    assert "生活保護世帯: 0円" in words(html)
    assert "上記以外の世帯: 3,600円" in words(html)


def test_a_passed_window_is_said_and_listed_last(client):
    search(client, day=(today() - timedelta(days=40)).isoformat())
    html = results(client, "?area=岡山市南区")
    names = cards(html)
    assert names[-1] == "三宅医院"
    assert (
        "この施設の短期入所（ショートステイ）型は利用できる期間（産後1か月未満）を過ぎています。"
        in html
    )
    assert "期間を過ぎた施設 1か所" in html


def test_a_due_date_is_said_to_be_counted_from_the_due_date(client):
    due = today() + timedelta(days=20)
    search(client, born="due", day=due.isoformat())
    html = results(client)
    assert "期間は出産予定日から数えています" in html
    assert "出産予定日" in html


def test_links_to_the_programme_and_to_applying(client):
    search(client)
    html = results(client)
    assert 'href="/programmes/332089/"' in html
    assert 'href="/my/"' in html


def test_the_programme_page_links_to_the_finder(client):
    html = client.get("/programmes/332089/").content.decode()
    assert 'href="/my/find/332089/"' in html


# --- availability ------------------------------------------------------------------------------


def strip_of(html: str, facility: str, service: str) -> tuple[list[tuple[str, str]], str]:
    """A facility's service strip: (day shown, state) per day, and the sentence read aloud."""
    card = html[html.index(f">{facility}<") :]
    section = card[card.index(f"<h3>{service}</h3>") :]
    strip = section[: section.index("</ol>")]
    spoken = re.search(r'<p class="visually-hidden">([^<]+)</p>', section)[1]
    return re.findall(r'<li class="(\w+)">([\d/]+)<i>', strip), spoken


def test_the_strip_reflects_capacity_bookings_and_closed_days(client):
    kaneko = f.facility("kaneko-josanin")
    staff = f.facility_staff("kaneko-josanin")
    capacity_set(facility=kaneko, actor=staff, service="stay", places=2)
    mother = f.mother_with_baby(born=today() - timedelta(days=20))
    other = f.mother_with_baby(born=today() - timedelta(days=21))
    f.provisional_booking(mother=mother, start=today() + timedelta(days=2))
    f.provisional_booking(mother=mother, start=today() + timedelta(days=3))
    f.provisional_booking(mother=other, start=today() + timedelta(days=3))
    closed_day_add(facility=kaneko, actor=staff, day=today() + timedelta(days=5))

    search(client, day=(today() - timedelta(days=10)).isoformat())
    html = results(client, "?service=stay&area=倉敷市")
    days, spoken = strip_of(html, "かねこ助産院", "短期入所（ショートステイ）型")
    states = [state for state, _ in days]
    assert len(states) == 14
    assert states[:6] == ["free", "free", "few", "full", "free", "closed"]
    assert days[0][1] == f"{today().month}/{today().day}"
    # The same in words, for a screen reader: never colour (or a symbol) alone.
    third, fourth, sixth = (today() + timedelta(days=n) for n in (2, 3, 5))
    assert f"{third.month}/{third.day} 残りわずか" in spoken
    assert f"{fourth.month}/{fourth.day} 満床" in spoken
    assert f"{sixth.month}/{sixth.day} 休業" in spoken
    assert spoken.startswith("短期入所（ショートステイ）型の空き状況: ")
    # A facility that has set no capacity (and has no fee in the document): ask it, in words.
    assert "料金と空き状況は施設にお問い合わせください。" in html


def test_the_strip_stops_at_the_end_of_her_window(client):
    kaneko = f.facility("kaneko-josanin")
    capacity_set(
        facility=f.facility("miyake-clinic"),
        actor=f.facility_staff("miyake-clinic"),
        service="stay",
        places=3,
    )
    assert kaneko  # the facility exists in the database
    # 三宅医院: 産後1か月未満; born 25 days ago, she has a few days left.
    born = today() - timedelta(days=25)
    search(client, day=born.isoformat())
    html = results(client, "?service=stay&area=岡山市南区")
    last = born + relativedelta(months=1) - timedelta(days=1)
    shown, spoken = strip_of(html, "三宅医院", "短期入所（ショートステイ）型")
    assert len(shown) == (last - today()).days + 1
    assert spoken.endswith(f"{last.month}/{last.day} 空きあり")


# --- filters and pages -------------------------------------------------------------------------


def test_filter_by_service_keeps_only_facilities_that_offer_it(client):
    search(client)
    html = results(client, "?service=visit")
    names = cards(html)
    assert "かねこ助産院" in names and "花田助産院" in names
    assert "くにとみクリニック" not in names
    assert "短期入所（ショートステイ）型</h3>" not in html  # only the service asked for


def test_filter_by_area(client):
    search(client)
    names = cards(results(client, "?area=総社市"))
    assert names and "くにとみクリニック" in names
    assert "川崎医科大学附属病院" not in names


def test_26_facilities_come_a_page_at_a_time(client):
    search(client)
    seen = []
    for number in (1, 2, 3, 4):
        html = results(client, f"?page={number}")
        found = cards(html)
        assert len(found) <= PER_PAGE
        seen += found
    assert len(seen) == 26 and len(set(seen)) == 26
    first = results(client)
    assert 'href="?page=2"' in first
    assert "1/4ページ" in first


def test_paging_keeps_the_filters(client):
    search(client)
    html = results(client, "?area=倉敷市")
    assert 'href="?area=%E5%80%89%E6%95%B7%E5%B8%82&amp;page=2"' in html


def test_an_unknown_filter_or_page_shows_everything_from_the_first_page(client):
    search(client)
    html = results(client, "?service=nope&area=nowhere&page=abc")
    assert len(cards(html)) == PER_PAGE


def test_query_count_does_not_grow_with_the_facilities(client):
    search(client)
    client.get(RESULTS)  # the session and the first-request work out of the way

    def count(query: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{RESULTS}{query}").status_code == 200
        return len(queries)

    one = count("?area=笠岡市")  # a single facility
    full = count("")  # eight on the page, 26 in all
    assert one == full
    assert full <= 10


def every_place_has_capacity() -> None:
    """Every service of every 総社市 facility takes two a day: the heaviest results page."""
    for facility in Facility.objects.filter(contracts__municipality__code=f.SOJA):
        staff = f.facility_staff(facility.slug)
        for service in places_of(facility):
            capacity_set(facility=facility, actor=staff, service=service, places=2)


def test_a_page_with_every_strip_stays_light(client):
    every_place_has_capacity()
    search(client)
    for number in (1, 2, 3, 4):
        html = client.get(f"{RESULTS}?page={number}").content
        # 60 KB per page in all; the shared CSS and script take about 17 KB of it.
        assert len(html) <= 40 * 1024, (number, len(html))


def test_the_strips_are_counted_as_each_facilitys_own_calendar(client):
    kaneko = f.facility("kaneko-josanin")
    staff = f.facility_staff("kaneko-josanin")
    capacity_set(facility=kaneko, actor=staff, service="stay", places=2)
    capacity_set(facility=kaneko, actor=staff, service="visit", places=1)
    mother = f.mother_with_baby(born=today() - timedelta(days=20))
    f.provisional_booking(mother=mother, start=today() + timedelta(days=1), nights=3)
    f.provisional_booking(mother=mother, service="visit", start=today() + timedelta(days=2))
    closed_day_add(facility=kaneko, actor=staff, day=today() + timedelta(days=9))
    first, last = today(), today() + timedelta(days=13)
    together = availability_of_facilities(
        [kaneko, f.facility("miyake-clinic")], first, last, today=today()
    )
    for service in ("stay", "day", "visit"):
        assert together[kaneko.pk][service] == availability(
            kaneko, service, first, last, today=today()
        )


def test_the_results_read_in_english(client):
    search(client)
    response = client.get(RESULTS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "within 4 months of birth" in response.content.decode()
