"""What must NOT be in a result. The case tables can only say that a notice is among the
notices; the absences that fixes rely on are asserted here, on the invented programmes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.rules.loader import load_registry
from sango.rules.program import default_program_dir, sample_program_dir
from sango.rules.request import request_from_dict

HERE = Path(__file__).parent
REGISTRY = load_registry([default_program_dir(), sample_program_dir(), HERE / "programs"])
YURIKAGO, HAGUKUMI, SUKOYAKA = "229016", "209023", "399035"


def quote(code: str, **fields: object) -> Result:
    program = REGISTRY.get(code)
    assert program is not None, f"no programme {code}"
    data = {"municipality": code, "tier": "taxable", "birth_date": "2026-02-01", **fields}
    return evaluate(program, request_from_dict(data))


def notice_codes(result: Result) -> set[str]:
    return {n.code for n in result.notices}


def test_temporary_return_judged_here_has_no_home_tier_notice() -> None:
    # すこやか村: temporary_return_tier: here — the tier is this village's, so no notice says
    # it is checked where the household lives.
    result = quote(SUKOYAKA, service="visit", date="2026-03-10", residence="temporary_return")
    assert result.eligible
    assert "temporary_return_tier" not in notice_codes(result)


def test_temporary_return_judged_at_home_still_has_the_notice() -> None:
    # ゆりかご市: temporary_return_tier: home_municipality — the notice stays.
    result = quote(
        YURIKAGO, service="day", date="2026-03-10", fee=10000, residence="temporary_return"
    )
    assert result.eligible
    assert "temporary_return_tier" in notice_codes(result)


def test_resident_gets_no_temporary_return_notice() -> None:
    result = quote(YURIKAGO, service="day", date="2026-03-10", fee=10000)
    assert "temporary_return_tier" not in notice_codes(result)


@pytest.mark.parametrize(
    "fields",
    [
        {"service": "stay", "date": "2026-03-10", "quantity": 1},
        {"service": "stay", "date": "2026-03-10", "quantity": 1, "infants": 2},
        {"service": "day_short", "date": "2026-03-10"},
    ],
    ids=["one-infant", "twins", "sub-type"],
)
def test_programme_fee_without_a_request_fee_has_no_programme_fee_notice(fields: dict) -> None:
    # programme_fee_used says a fee in the request was ignored; without one there is none to say.
    result = quote(SUKOYAKA, **fields)
    assert result.eligible
    assert "programme_fee_used" not in notice_codes(result)


def test_facility_fee_programme_never_says_programme_fee_used() -> None:
    result = quote(YURIKAGO, service="day", date="2026-03-10", fee=10000)
    assert "programme_fee_used" not in notice_codes(result)


def test_use_inside_a_full_fee_cap_has_no_full_fee_notice() -> None:
    # すこやか村 from 2027-04-01: the 4th use fits the cap, so nothing is paid at the full fee.
    result = quote(
        SUKOYAKA,
        service="stay",
        date="2027-05-10",
        quantity=3,
        birth_date="2027-03-01",
        used={"all_uses": 3},
    )
    assert result.eligible
    assert "beyond_cap_full_fee" not in notice_codes(result)
    assert result.copay + result.subsidy == 84000


def test_sixth_use_of_any_service_gets_no_programme_scope_payment() -> None:
    # ゆりかご市 layer 6 (nth_scope: programme, nth_to: 5): absent for the 6th use of any service,
    # while layer 4 (per service) still pays the first day use.
    result = quote(
        YURIKAGO,
        service="day",
        date="2028-05-10",
        birth_date="2028-04-01",
        facility="yurikago-sample-clinic",
        infants_born=2,
        used={"stay": 2, "visit": 3},
        prior_uses={"stay": 2, "visit": 3},
    )
    paid = [detail for rule, detail, _ in result.explanation if rule.startswith("funding:")]
    assert not any("産後ケア応援" in detail for detail in paid), paid
    assert any("国の減免（全ての利用者）" in detail for detail in paid), paid
    assert result.copay == 1500


def test_ineligible_use_counts_nothing() -> None:
    # An ineligible use never reports counted amounts, whatever its caps.
    result = quote(
        HAGUKUMI,
        service="day",
        start="2026-03-10T10:00",
        end="2026-03-10T14:00",
        facility="hagukumi-sample-clinic",
        used={"day": 40},
        residence="temporary_return",
    )
    assert not result.eligible
    assert result.counted == {}
    assert result.funding == ()
    assert result.subsidy == 0


def test_partial_prior_uses_keeps_what_used_implies() -> None:
    # すこやか村: 4 uses of anything a year. Four earlier visits are known from `used`; a
    # `prior_uses` that only mentions day care must not make them disappear.
    result = quote(
        SUKOYAKA, service="visit", date="2026-03-10", used={"visit": 4}, prior_uses={"day": 0}
    )
    assert not result.eligible
    assert [r.code for r in result.reasons] == ["cap_reached"]


def test_refused_use_has_no_full_fee_notice() -> None:
    # はぐくみ町: the hour cap is paid in full beyond it, but a use refused for another
    # reason (temporary returns are not accepted) is not charged at all.
    result = quote(
        HAGUKUMI,
        service="day",
        start="2026-03-10T10:00",
        end="2026-03-10T14:00",
        fee=2750,
        used={"day": 40},
        residence="temporary_return",
    )
    assert not result.eligible
    assert "beyond_cap_full_fee" not in notice_codes(result)


def test_unknown_prior_uses_code_is_named() -> None:
    with pytest.raises(RequestError) as caught:
        quote(SUKOYAKA, service="visit", date="2026-03-10", prior_uses={"stya": 4})
    assert caught.value.field == "prior_uses.stya"
