"""施設をさがす, the programme's side (no database): until which day each facility's service can
be used for a baby, and what she would pay per unit — as the leaflets and the rules core say."""

from __future__ import annotations

from datetime import date

import pytest

from sango.core.tests.factories import KUMAMOTO, SOJA
from sango.programs import finder
from sango.programs.registry import get_registry


def offer(code: str, facility: str, *, start: date, today: date) -> finder.FacilityOffer:
    offers = finder.facility_offers(get_registry().get(code), start=start, today=today)
    return next(o for o in offers if o.id == facility)


def service(found: finder.FacilityOffer, code: str) -> finder.ServiceOffer:
    return next(s for s in found.services if s.service == code)


def test_a_facility_window_counts_four_months_from_the_birth():
    # 川崎医科大学附属病院: ○（産後4か月以内）on the facility list
    found = offer(
        SOJA, "kawasaki-medical-school-hospital", start=date(2026, 11, 15), today=date(2026, 12, 1)
    )
    stay = service(found, "stay").usable
    assert stay.last_day == date(2027, 3, 15)
    assert stay.window.label() == "産後4か月以内"
    assert stay.first_day == date(2026, 12, 1)


def test_a_facility_with_a_shorter_window_than_the_programme_closes_first():
    # 三宅医院 takes mothers 産後1か月未満; the programme itself runs 産後1年以内.
    born = date(2026, 11, 10)
    today = date(2026, 12, 1)
    miyake = service(offer(SOJA, "miyake-clinic", start=born, today=today), "stay").usable
    sakuranbo = service(offer(SOJA, "sakuranbo-josanin", start=born, today=today), "stay").usable
    assert miyake.last_day == date(2026, 12, 9)  # 未満: the day before the anniversary
    assert miyake.window.label() == "産後1か月未満"
    assert sakuranbo.last_day == date(2027, 11, 10)  # 以内: the anniversary itself
    assert sakuranbo.window.label() == "産後1年以内"


def test_a_window_that_has_passed_has_no_last_day_but_names_its_window():
    found = offer(SOJA, "miyake-clinic", start=date(2026, 10, 1), today=date(2026, 12, 1))
    stay = service(found, "stay").usable
    assert stay.last_day is None
    assert stay.window.label() == "産後1か月未満"
    assert not found.usable_for()
    assert offer(
        SOJA, "kaneko-josanin", start=date(2026, 10, 1), today=date(2026, 12, 1)
    ).usable_for()


def test_a_due_date_counts_from_the_due_date_and_starts_on_it():
    due = date(2027, 1, 10)
    stay = service(
        offer(SOJA, "kawasaki-medical-school-hospital", start=due, today=date(2026, 12, 1)), "stay"
    ).usable
    assert stay.first_day == due
    assert stay.last_day == date(2027, 5, 10)


def test_the_day_a_later_version_takes_over_inside_the_window_is_named():
    # 熊本市 changed to usage cards on 2024-04-01: a baby born in February 2024 is judged by both.
    found = offer(
        KUMAMOTO, "sample-kumamoto-chuo-clinic", start=date(2024, 2, 1), today=date(2024, 3, 1)
    )
    assert service(found, "stay").usable.changes_on == date(2024, 4, 1)
    later = offer(
        KUMAMOTO, "sample-kumamoto-chuo-clinic", start=date(2024, 6, 1), today=date(2024, 7, 1)
    )
    assert service(later, "stay").usable.changes_on is None


@pytest.mark.parametrize(
    ("infants", "taxable"),
    [(1, 3600), (2, 4200)],  # 10% of 36,000円, and of 36,000 + 6,000円 for the second baby
)
def test_copay_per_night_for_each_tier_and_for_twins(infants, taxable):
    program = get_registry().get(KUMAMOTO)
    start, today = date(2026, 11, 1), date(2026, 12, 1)
    found = offer(KUMAMOTO, "sample-kumamoto-chuo-clinic", start=start, today=today)
    every = finder.prices(
        program,
        found.id,
        service(found, "stay"),
        tier=None,
        start=start,
        infants=infants,
        lang="ja",
    )
    assert [(c.tier, c.amount) for c in every[0].copays] == [
        ("生活保護世帯", 0),
        ("市町村民税非課税世帯", 0),
        ("上記以外の世帯", taxable),
    ]
    mine = finder.prices(
        program,
        found.id,
        service(found, "stay"),
        tier="taxable",
        start=start,
        infants=infants,
        lang="ja",
    )
    assert [(c.tier, c.amount) for c in mine[0].copays] == [("上記以外の世帯", taxable)]


def test_sub_types_are_priced_each_and_an_unknown_fee_is_none():
    start, today = date(2026, 11, 1), date(2026, 12, 1)
    kumamoto = get_registry().get(KUMAMOTO)
    found = offer(KUMAMOTO, "sample-kumamoto-chuo-clinic", start=start, today=today)
    day = finder.prices(
        kumamoto, found.id, service(found, "day"), tier="taxable", start=start, infants=1, lang="ja"
    )
    assert [(p.label, p.copays[0].amount) for p in day] == [
        ("1日型", 1800),
        ("3時間型", 1200),
        ("2時間型", 800),
    ]
    soja = get_registry().get(SOJA)
    kaneko = offer(SOJA, "kaneko-josanin", start=start, today=today)
    unknown = finder.prices(
        soja, kaneko.id, service(kaneko, "stay"), tier="taxable", start=start, infants=1, lang="ja"
    )
    assert not unknown[0].known


def test_no_price_once_the_window_has_passed():
    program = get_registry().get(SOJA)
    found = offer(SOJA, "miyake-clinic", start=date(2026, 10, 1), today=date(2026, 12, 1))
    stay = service(found, "stay")
    assert (
        finder.prices(
            program, found.id, stay, tier=None, start=date(2026, 10, 1), infants=1, lang="ja"
        )
        == ()
    )


@pytest.mark.parametrize(
    ("address", "area"),
    [
        ("総社市門田 78-1", "総社市"),
        ("岡山市北区西花尻 1200-3", "岡山市北区"),
        ("倉敷市真備町川辺 98-1", "倉敷市"),
        ("吉備中央町吉川 4429-50", "吉備中央町"),
        ("静岡県ゆりかご市中央5-5（架空）", "ゆりかご市"),
        ("熊本市中央区（架空）", "熊本市中央区"),
    ],
)
def test_area_is_the_municipality_or_ward_of_the_address(address, area):
    assert finder.area_of(address) == area


def test_the_26_soja_facilities_lie_in_several_areas():
    offers = finder.facility_offers(
        get_registry().get(SOJA), start=date(2026, 11, 1), today=date(2026, 12, 1)
    )
    assert len(offers) == 26
    assert {"総社市", "倉敷市", "岡山市北区", "笠岡市"} <= {o.area for o in offers}
