"""Vouchers and usage cards: numbers that catch typing mistakes, verification that tells a
facility nothing about vouchers it does not hold, and usage cards where the programme has them."""

import re
from datetime import date

import pytest
from django.core import signing

from sango.core.errors import ServiceError
from sango.core.tests import factories as f
from sango.mothers.models import Infant
from sango.usage.services import use_record
from sango.vouchers.models import Voucher
from sango.vouchers.services import (
    number_is_well_formed,
    usage_card_issue,
    voucher_find,
    voucher_qr_payload,
)

pytestmark = pytest.mark.django_db

BIRTH_DATE = date(1994, 5, 20)  # the mother's own birth date (MotherFactory)


@pytest.fixture
def voucher() -> Voucher:
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(30))
    return f.voucher_for(f.approved_application(mother=mother, grants={"stay": 3}))


def digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def well_formed_other(number: str) -> str:
    """A different, well-formed number: one body digit changed, the check digit recomputed."""
    body = digits(number)[:-1]
    body = body[:-1] + str((int(body[-1]) + 1) % 10)
    return next(body + d for d in "0123456789" if number_is_well_formed(body + d))


def test_number_is_printed_in_groups_after_the_municipality_code(voucher) -> None:
    assert re.fullmatch(r"332089-\d{4}-\d{4}-\d{4}", voucher.number)
    assert number_is_well_formed(voucher.number)


def test_the_printed_number_fits_its_column(voucher) -> None:
    # SQLite does not enforce a CharField's length; PostgreSQL refuses the row outright.
    assert len(voucher.number) <= Voucher._meta.get_field("number").max_length


def test_numbers_are_not_sequential() -> None:
    f.load_programmes()
    numbers = [
        f.voucher_for(
            f.approved_application(
                mother=f.mother_with_baby(born=f.days_ago(30)), grants={"day": 1}
            )
        ).number
        for _ in range(3)
    ]
    assert len(set(numbers)) == 3
    tails = sorted(int(digits(n)[6:-1]) for n in numbers)
    assert tails[1] - tails[0] != 1 or tails[2] - tails[1] != 1


def test_every_single_mistyped_digit_is_caught(voucher) -> None:
    number = digits(voucher.number)
    for position in range(len(number)):
        for wrong in "0123456789":
            if wrong == number[position]:
                continue
            typo = number[:position] + wrong + number[position + 1 :]
            assert not number_is_well_formed(typo), (position, wrong)
    typo = number[:7] + str((int(number[7]) + 1) % 10) + number[8:]
    with pytest.raises(ServiceError) as refused:
        voucher_find(number=typo, mother_birth_date=BIRTH_DATE)
    assert (refused.value.code, refused.value.field) == ("bad_number", "number")


def test_a_swap_of_neighbouring_digits_is_caught(voucher) -> None:
    number = digits(voucher.number)
    for i in range(len(number) - 1):
        a, b = number[i], number[i + 1]
        # Luhn misses only a 0↔9 swap.
        if a == b or {a, b} == {"0", "9"}:
            continue
        swapped = number[:i] + b + a + number[i + 2 :]
        assert not number_is_well_formed(swapped), i


@pytest.mark.parametrize("length", [17, 19])
def test_wrong_length_is_caught(voucher, length: int) -> None:
    number = (digits(voucher.number) * 2)[:length]
    with pytest.raises(ServiceError) as refused:
        voucher_find(number=number, mother_birth_date=BIRTH_DATE)
    assert refused.value.code == "bad_number"


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n,
        lambda n: n.replace("-", ""),
        lambda n: n.replace("-", " "),
        lambda n: f" {n} ",
    ],
)
def test_find_by_number_and_birth_date(voucher, typed) -> None:
    assert voucher_find(number=typed(voucher.number), mother_birth_date=BIRTH_DATE) == voucher


def test_a_wrong_birth_date_looks_exactly_like_an_unknown_number(voucher) -> None:
    with pytest.raises(ServiceError) as wrong_birth:
        voucher_find(number=voucher.number, mother_birth_date=date(1994, 5, 21))
    with pytest.raises(ServiceError) as no_birth:
        voucher_find(number=voucher.number)
    with pytest.raises(ServiceError) as unknown:
        voucher_find(number=well_formed_other(voucher.number), mother_birth_date=BIRTH_DATE)
    assert wrong_birth.value.as_dict() == unknown.value.as_dict() == no_birth.value.as_dict()
    assert unknown.value.code == "not_found"


def test_another_mothers_birth_date_does_not_open_this_voucher(voucher) -> None:
    other = f.MotherFactory(birth_date=date(1990, 1, 1))
    with pytest.raises(ServiceError) as refused:
        voucher_find(number=voucher.number, mother_birth_date=other.birth_date)
    assert refused.value.code == "not_found"


def test_qr_payload_round_trip(voucher) -> None:
    payload = voucher_qr_payload(voucher)
    assert voucher_find(qr=payload) == voucher


def test_a_tampered_qr_is_refused_like_an_unknown_voucher(voucher) -> None:
    payload = voucher_qr_payload(voucher)
    head, _, signature = payload.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged_for_other = signing.dumps({"n": well_formed_other(voucher.number)}, salt="other")
    for bad in (f"{head}:{flipped}", payload[1:], forged_for_other, "not a payload"):
        with pytest.raises(ServiceError) as refused:
            voucher_find(qr=bad)
        assert refused.value.code == "not_found"


def test_a_qr_signed_for_another_purpose_is_refused(voucher) -> None:
    # Signed with the site's key but not as a voucher payload (another salt).
    payload = signing.dumps({"n": voucher.number}, compress=True)
    with pytest.raises(ServiceError) as refused:
        voucher_find(qr=payload)
    assert refused.value.code == "not_found"


# --- usage cards (利用カード) ---------------------------------------------------------------------


def test_kumamoto_issues_a_usage_card_with_the_handbook() -> None:
    f.load_programmes()
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 5, 10))
    clerk = f.clerk(f.KUMAMOTO)
    card = usage_card_issue(
        mother=mother,
        actor=clerk,
        tier="tax_exempt",
        tier_basis="ledger",
        issued_on=date(2024, 6, 1),
    )
    assert card.kind == Voucher.Kind.USAGE_CARD
    assert card.application is None and card.issued_by == clerk
    assert re.fullmatch(r"431001-\d{4}-\d{4}-\d{4}", card.number)
    # 産後1年未満: valid from the birth to the day before the first birthday.
    assert (card.valid_from, card.valid_until) == (date(2024, 5, 10), date(2025, 5, 9))
    assert card.tier == "tax_exempt"
    assert voucher_find(number=card.number, mother_birth_date=BIRTH_DATE) == card


def test_soja_issues_no_usage_cards() -> None:
    f.load_programmes()
    mother = f.mother_with_baby(born=f.days_ago(10))
    with pytest.raises(ServiceError) as refused:
        usage_card_issue(mother=mother, actor=f.clerk(), tier="taxable")
    assert refused.value.code == "no_usage_card"
    assert not Voucher.objects.exists()


def test_kumamoto_issued_no_usage_cards_before_april_2024() -> None:
    f.load_programmes()
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 3, 1))
    with pytest.raises(ServiceError) as refused:
        usage_card_issue(
            mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable", issued_on=date(2024, 3, 31)
        )
    assert refused.value.code == "no_usage_card"


def test_usage_card_needs_a_known_tier() -> None:
    f.load_programmes()
    mother = f.mother_with_baby(code=f.KUMAMOTO, born=date(2024, 5, 10))
    with pytest.raises(ServiceError) as refused:
        usage_card_issue(
            mother=mother, actor=f.clerk(f.KUMAMOTO), tier="rich", issued_on=date(2024, 6, 1)
        )
    assert refused.value.field == "tier"
    assert not Voucher.objects.exists()


def test_usage_card_comes_with_the_handbook_before_the_birth() -> None:
    # 熊本市 hands the card out with the 親子健康手帳, i.e. during pregnancy: it has no end date
    # until the birth is registered, and no use can be judged before that.
    f.load_programmes()
    clerk = f.clerk(f.KUMAMOTO)
    expecting = f.MotherFactory(municipality=f.municipality(f.KUMAMOTO))
    card = usage_card_issue(
        mother=expecting, actor=clerk, tier="taxable", issued_on=date(2024, 6, 1)
    )
    assert (card.valid_from, card.valid_until) == (date(2024, 6, 1), None)
    staff = f.facility_staff("sample-kumamoto-chuo-clinic")
    with pytest.raises(ServiceError) as refused:
        use_record(
            voucher_id=card.pk,
            facility=staff.facility,
            actor=staff,
            idempotency_key="before-birth",
            service="day_2h",
            day=date(2024, 8, 1),
        )
    assert refused.value.field == "birth_date"
    Infant.objects.create(mother=expecting, birth_date=date(2024, 7, 20))
    use = use_record(
        voucher_id=card.pk,
        facility=staff.facility,
        actor=staff,
        idempotency_key="after-birth",
        service="day_2h",
        day=date(2024, 8, 1),
    )
    assert use.counted == {"day": 1}
