"""A use is judged under the rules in force on its day of service: 熊本市's usage cards, where the
facility checks eligibility when the mother comes, and 総社市 uses before its 2025 revision."""

from datetime import date, datetime

import pytest

from sango.core.errors import Refused
from sango.core.tests import factories as f
from sango.usage.services import use_correct, use_record
from sango.vouchers.services import usage_card_issue

pytestmark = pytest.mark.django_db

BORN = date(2024, 4, 1)


@pytest.fixture(autouse=True)
def programmes():
    f.load_programmes()


def card(tier: str = "taxable"):
    """熊本市 利用カード handed out with the handbook on 2024-04-10."""
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=BORN)
    return usage_card_issue(
        mother=mother,
        actor=f.clerk(f.KUMAMOTO),
        tier=tier,
        tier_basis="ledger",
        issued_on=date(2024, 4, 10),
    )


def record(voucher, slug: str, key: str, **fields):
    staff = f.facility_staff(slug)
    return use_record(
        voucher_id=voucher.pk, facility=staff.facility, actor=staff, idempotency_key=key, **fields
    )


def reasons(refused) -> list[str]:
    return [r["code"] for r in refused.value.reasons]


CHUO = "sample-kumamoto-chuo-clinic"


def test_usage_card_stay_at_the_facility_fee() -> None:
    # Sample contract: 36,000 yen a night; taxable households pay 10 %.
    use = record(card(), CHUO, "c1", service="stay", day=date(2024, 5, 1), quantity=1)
    assert (use.fee, use.subsidy, use.copay) == (36000, 32400, 3600)
    assert use.version == date(2024, 4, 1)
    assert use.counted == {"stay": 1}


def test_usage_card_welfare_household_pays_nothing() -> None:
    use = record(card("welfare"), CHUO, "c1", service="stay", day=date(2024, 5, 1), quantity=2)
    assert (use.subsidy, use.copay) == (72000, 0)


def test_usage_card_day_care_is_priced_by_its_length() -> None:
    # 10:00–13:00 is "over 2 hours, up to 3": the 3時間型 at 12,000 yen.
    use = record(
        card(), CHUO, "c1", service="day", start=_jst(2024, 5, 10, 10), end=_jst(2024, 5, 10, 13)
    )
    assert (use.service, use.fee, use.copay, use.counted) == ("day_3h", 12000, 1200, {"day": 1})


def test_usage_card_cap_is_checked_at_the_facility() -> None:
    voucher = card()
    record(voucher, CHUO, "c1", service="stay", day=date(2024, 5, 1), quantity=6)
    with pytest.raises(Refused) as refused:
        record(
            voucher,
            "sample-kumamoto-higashi-josanin",
            "h1",
            service="stay",
            day=date(2024, 6, 1),
            quantity=2,
        )
    assert reasons(refused) == ["cap_reached"]
    assert record(
        voucher,
        "sample-kumamoto-higashi-josanin",
        "h2",
        service="stay",
        day=date(2024, 6, 1),
        quantity=1,
    ).counted == {"stay": 1}


def test_usage_card_facility_window_is_checked_at_the_facility() -> None:
    # きた総合病院 takes stays only up to 4 months after birth (to 2024-08-01).
    voucher = card()
    use = record(
        voucher,
        "sample-kumamoto-kita-hospital",
        "k1",
        service="stay",
        day=date(2024, 8, 1),
        quantity=1,
    )
    assert use.fee == 40000
    with pytest.raises(Refused) as refused:
        record(
            voucher,
            "sample-kumamoto-kita-hospital",
            "k2",
            service="stay",
            day=date(2024, 8, 2),
            quantity=1,
        )
    assert reasons(refused) == ["outside_facility_window"]


def test_usage_card_ends_the_day_before_the_first_birthday() -> None:
    voucher = card()
    assert voucher.valid_until == date(2025, 3, 31)
    record(voucher, CHUO, "c1", service="stay", day=date(2025, 3, 31), quantity=1)
    with pytest.raises(Refused) as refused:
        record(voucher, CHUO, "c2", service="stay", day=date(2025, 4, 1), quantity=1)
    assert reasons(refused) == ["outside_voucher_period"]


def _jst(year: int, month: int, day: int, hour: int) -> datetime:
    return f.at(date(year, month, day), hour)


# --- 総社市 before and after its 2025-04-01 revision -----------------------------------------


@pytest.fixture
def soja_voucher():
    """Born 2025-03-01, approved for 3 nights from the birth (1年以内: to 2026-03-01)."""
    mother = f.mother_with_baby(born=date(2025, 3, 1))
    return f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))


def test_a_use_before_the_revision_keeps_the_older_amounts(soja_voucher) -> None:
    # Taxable households: 12,000 yen a night until 2025-03-31, 17,000 yen from 2025-04-01.
    old = record(
        soja_voucher,
        "kaneko-josanin",
        "s1",
        service="stay",
        day=date(2025, 3, 31),
        quantity=1,
        fee=30000,
    )
    new = record(
        soja_voucher,
        "kaneko-josanin",
        "s2",
        service="stay",
        day=date(2025, 4, 1),
        quantity=1,
        fee=30000,
    )
    assert (old.version, old.subsidy, old.copay) == (date(2019, 4, 1), 12000, 18000)
    assert (new.version, new.subsidy, new.copay) == (date(2025, 4, 1), 17000, 13000)


def test_correcting_an_old_use_judges_it_under_its_own_day(soja_voucher) -> None:
    old = record(
        soja_voucher,
        "kaneko-josanin",
        "s1",
        service="stay",
        day=date(2025, 3, 20),
        quantity=1,
        fee=30000,
    )
    corrected = use_correct(
        use=old, actor=f.facility_staff("kaneko-josanin"), reason="料金の訂正", fee=28000
    )
    assert (corrected.version, corrected.subsidy, corrected.copay) == (
        date(2019, 4, 1),
        12000,
        16000,
    )
    old.refresh_from_db()
    assert (old.status, old.subsidy, old.copay) == ("void", 12000, 18000)
