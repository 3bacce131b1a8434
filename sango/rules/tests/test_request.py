"""Reading requests as people and other systems really write them; naming the field at fault."""

from datetime import date

import pytest

from sango.rules.errors import RequestError
from sango.rules.request import request_from_dict

BASE = {
    "municipality": "332089",
    "service": "stay",
    "tier": "taxable",
    "birth_date": "2026-03-01",
    "date": "2026-05-10",
}


@pytest.mark.parametrize(
    "typed",
    [
        "2026-05-10",
        "２０２６－０５－１０",  # full-width digits and hyphen
        "２０２６−０５−１０",  # minus sign (JIS keyboards)
        "２０２６ー０５ー１０",  # long vowel mark typed in kana mode
        "2026/5/10",
        "2026年5月10日",
        "令和8年5月10日",
    ],
)
def test_dates_are_read_as_typed(typed: str) -> None:
    assert request_from_dict({**BASE, "date": typed}).day == date(2026, 5, 10)


def test_first_year_of_an_era_is_gannen() -> None:
    assert request_from_dict({**BASE, "birth_date": "令和元年5月1日"}).birth_date == date(
        2019, 5, 1
    )


def test_full_width_digits_in_numbers_are_read() -> None:
    request = request_from_dict({**BASE, "fee": "３００００", "quantity": "２"})
    assert (request.fee, request.quantity) == (30000, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2026-02-30"}, "date"),
        ({"date": "令和8年2月30日"}, "date"),
        ({"birth_date": "2026-06-01"}, "birth_date"),
        ({"fee": -1}, "fee"),
        ({"fee": 1.5}, "fee"),
        ({"infants": True}, "infants"),
        ({"used": {"stay": -2}}, "used.stay"),
        ({"tier": "一般"}, "tier"),
        ({"colour": "blue"}, "colour"),
        ({"start": "2026-05-10T10:00"}, "end"),
        ({"start": "2026-05-10T10:00", "end": "2026-05-10T09:00"}, "end"),
        ({"residence": "abroad"}, "residence"),
        ({"exclusions": "infectious_disease"}, "exclusions"),
        # Plausible bounds: a fee of 3 yen or beyond what the database holds is a typing slip.
        ({"fee": 3}, "fee"),
        ({"fee": 2_147_483_648}, "fee"),
        ({"extras": 10**12}, "extras"),
        ({"quantity": 366}, "quantity"),
        ({"infants": 6}, "infants"),
        # Never more infants present than were born.
        ({"infants": 2, "infants_born": 1}, "infants"),
    ],
)
def test_bad_input_names_the_field(change: dict, field: str) -> None:
    with pytest.raises(RequestError) as caught:
        request_from_dict({**BASE, **change})
    assert caught.value.field == field
    assert caught.value.message  # a sentence for the person who typed it


def test_missing_required_field_is_named() -> None:
    data = dict(BASE)
    del data["tier"]
    with pytest.raises(RequestError) as caught:
        request_from_dict(data)
    assert caught.value.field == "tier"
